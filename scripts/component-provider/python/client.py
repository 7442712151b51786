"""Runs one `pulumi` command against program.py through the Automation API's path (`--client`):
the program runs in this Python process, served by the Python SDK's own inline-program language
server (pulumi.automation), and the real CLI and engine do everything else. The Go module proxy
serves no pulumi-language-python at the CLI's version, as it serves no Node.js one; this is what
LocalWorkspace does with an inline program, with the CLI flags it does not pass (`--json`).
The counterpart of scripts/real-pulumi/client.ts.

    python client.py -- <pulumi args...>

stdout and stderr are the CLI's; the exit code is the CLI's.
"""

import os
import subprocess
import sys
from concurrent import futures

import grpc
from pulumi.automation._server import LanguageServer  # internal: fail loudly if it moves
from pulumi.runtime.proto import language_pb2_grpc

from program import program


def main(argv: list[str]) -> int:
    args = argv[1:] if argv[:1] == ["--"] else argv
    if not args:
        print("client.py: expected the pulumi command to run, got nothing", file=sys.stderr)
        return 2
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        return subprocess.run(
            ["pulumi", *args, f"--client=127.0.0.1:{port}", "--exec-kind", "auto.inline"],
            env={**os.environ, "PULUMI_DEBUG_COMMANDS": "true"},
            check=False,
        ).returncode
    finally:
        server.stop(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
