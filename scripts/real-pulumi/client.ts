// Runs one `pulumi` command against taskstack's program through the Automation API's path
// (`--client`): the program runs in this Node process, served by @pulumi/pulumi's own language
// runtime server, and the real CLI and engine do everything else. scripts/real-pulumi.sh uses it
// because the Node.js language host (`pulumi-language-nodejs`) cannot be built here (README.md,
// "The real engine in CI").
//
//   tsx scripts/real-pulumi/client.ts [--program <module>#<export>] -- <pulumi args...>
//
// --program runs another program than taskstack's own (stacks/program.ts `main`), e.g.
// scripts/component-provider/program.ts#remoteProgram.
// stdout and stderr are the CLI's; the exit code is the CLI's.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import * as inlineServer from "@pulumi/pulumi/automation/server";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import { main } from "../../stacks/program";

// The language runtime server the Automation API serves inline programs with (LocalWorkspace's
// `program`). It is internal to @pulumi/pulumi, and we need it to pass the CLI flags the public
// API does not (`--json`, `--event-log`); fail loudly if it moves.
interface InlineLanguageServer {
  onPulumiExit(hasError: boolean): void;
}
type InlineLanguageServerClass = new (program: () => Promise<unknown>) => InlineLanguageServer;
function languageServerClass(): InlineLanguageServerClass {
  const found = (inlineServer as unknown as { LanguageServer?: unknown }).LanguageServer;
  if (typeof found !== "function") {
    throw new Error(
      "client.ts: @pulumi/pulumi/automation/server no longer exports LanguageServer (the Automation API's inline-program server)",
    );
  }
  return found as InlineLanguageServerClass;
}
const LanguageServer = languageServerClass();

// The gRPC library @pulumi/pulumi's language server was built against (not a dependency of ours).
const grpc = createRequire(require.resolve("@pulumi/pulumi/automation/server"))(
  "@grpc/grpc-js",
) as typeof import("@grpc/grpc-js");

type Program = () => Promise<unknown>;

/** The program named by `--program <module>#<export>`, or taskstack's own. */
async function loadProgram(spec: string | undefined): Promise<Program> {
  if (spec === undefined) return main;
  const [file, name] = spec.split("#");
  const loaded = ((await import(resolve(file))) as Record<string, unknown>)[name ?? "main"];
  if (typeof loaded !== "function") {
    throw new Error(`client.ts: --program: expected <module>#<exported function>, got "${spec}"`);
  }
  return loaded as Program;
}

async function run(argv: string[]): Promise<number> {
  let programSpec: string | undefined;
  if (argv[0] === "--program") {
    programSpec = argv[1];
    argv = argv.slice(2);
  }
  const args = argv.filter((a, i) => !(i === 0 && a === "--"));
  const program = await loadProgram(programSpec);
  if (args.length === 0) {
    process.stderr.write("client.ts: expected the pulumi command to run, got nothing\n");
    return 2;
  }
  const server = new grpc.Server({ "grpc.max_receive_message_length": 1024 * 1024 * 400 });
  const language = new LanguageServer(program);
  server.addService(
    langrpc.LanguageRuntimeService,
    language as unknown as Parameters<typeof server.addService>[1],
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const cli = spawn(
    "pulumi",
    [...args, `--client=127.0.0.1:${port}`, "--exec-kind", "auto.inline"],
    {
      stdio: "inherit",
      // As LocalWorkspace runs the CLI: `--event-log` exists only with debug commands on.
      env: { ...process.env, PULUMI_DEBUG_COMMANDS: "true" },
    },
  );
  const code = await new Promise<number>((resolve) => cli.on("exit", (c) => resolve(c ?? 1)));
  language.onPulumiExit(code !== 0);
  server.forceShutdown();
  return code;
}

void run(process.argv.slice(2)).then((code) => {
  process.exit(code);
});
