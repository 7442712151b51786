// Starts the Pub/Sub and Spanner emulators that ship with the Google Cloud SDK, on loopback ports
// of our choosing, for the emulator suites (`npm run test:emulators`). Each start returns a stop
// that ends the process group it started, and nothing else.
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/** The SDK root: $TASKSTACK_GCLOUD_SDK, else what `gcloud info` reports; undefined without an SDK. */
export function sdkRoot(): string | undefined {
  const fromEnv = process.env["TASKSTACK_GCLOUD_SDK"];
  if (fromEnv) return fromEnv;
  try {
    const out = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 60_000,
    }).trim();
    return out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

export interface Emulators {
  readonly pubsub?: string;
  readonly pubsubMissing?: string;
  readonly spanner?: string;
  readonly spannerMissing?: string;
  readonly sdk?: string;
}

/** Where each emulator is in the SDK, or why it is not there. */
export function locateEmulators(): Emulators {
  const sdk = sdkRoot();
  if (sdk === undefined) {
    const why = "no Google Cloud SDK (gcloud not on PATH and TASKSTACK_GCLOUD_SDK unset)";
    return { pubsubMissing: why, spannerMissing: why };
  }
  const pubsub = path.join(sdk, "platform/pubsub-emulator/bin/cloud-pubsub-emulator");
  const spanner = path.join(sdk, "bin/cloud_spanner_emulator/gateway_main");
  let java = true;
  try {
    execFileSync("java", ["-version"], { stdio: "ignore", timeout: 30_000 });
  } catch {
    java = false;
  }
  return {
    sdk,
    ...(fs.existsSync(pubsub) && java
      ? { pubsub }
      : {
          pubsubMissing: fs.existsSync(pubsub)
            ? "no java on PATH (the Pub/Sub emulator is a Java program)"
            : `${pubsub} is missing (install google-cloud-cli-pubsub-emulator)`,
        }),
    ...(fs.existsSync(spanner)
      ? { spanner }
      : { spannerMissing: `${spanner} is missing (install google-cloud-cli-spanner-emulator)` }),
  };
}

/** A free loopback TCP port (the kernel's pick, released for the emulator to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  readonly stop: () => Promise<void>;
  readonly log: () => string;
}

/** Spawns `command` in its own process group and resolves once its output matches `ready`. */
function start(
  command: string,
  args: readonly string[],
  ready: RegExp,
  timeoutMs: number,
): Promise<Started> {
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        resolve();
        return;
      }
      child.once("exit", () => resolve());
      // The process group we created: the gateway's emulator_main child and the JVM go with it.
      process.kill(-child.pid, "SIGTERM");
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          process.kill(-child.pid, "SIGKILL");
        }
      }, 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().then(() =>
        reject(new Error(`${command} did not start within ${timeoutMs} ms:\n${output}`)),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ stop, log: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** The Pub/Sub emulator on 127.0.0.1:`port`. */
export async function startPubSub(bin: string): Promise<Started & { readonly port: number }> {
  const port = await freePort();
  const started = await start(
    bin,
    [`--host=127.0.0.1`, `--port=${port}`],
    /Server started, listening on/,
    120_000,
  );
  return { ...started, port };
}

/** The Spanner emulator: its gRPC server and the REST gateway, both on 127.0.0.1. */
export async function startSpanner(
  gateway: string,
): Promise<Started & { readonly rest: string; readonly grpcPort: number }> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const started = await start(
    gateway,
    [
      "--hostname",
      "127.0.0.1",
      "--grpc_port",
      String(grpcPort),
      "--http_port",
      String(httpPort),
      "--grpc_binary",
      path.join(path.dirname(gateway), "emulator_main"),
    ],
    /REST server listening at/,
    60_000,
  );
  return { ...started, rest: `http://127.0.0.1:${httpPort}/v1`, grpcPort };
}

/** The emulators' versions, for the suites' first line. */
export function sdkVersion(sdk: string | undefined): string {
  if (sdk === undefined) return "absent";
  try {
    const manifest = fs.readFileSync(path.join(sdk, "VERSION"), "utf8").trim();
    return `Google Cloud SDK ${manifest}`;
  } catch {
    return `Google Cloud SDK at ${sdk}`;
  }
}
