// Runs a policy pack directory the way the Pulumi CLI does, and talks to it over the analyzer
// protocol. The CLI's Node.js language host starts `@pulumi/pulumi/cmd/run-policy-pack
// <engine-address> <dir>` in the pack directory; the pack prints the port of its gRPC server on
// stdout; the engine then calls GetAnalyzerInfo, Configure (the --policy-pack-config), Analyze
// for each resource's inputs and AnalyzeStack over every resource's outputs. This does the same
// with the proto stubs that ship in `@pulumi/pulumi/proto` and the @grpc/grpc-js they were
// generated for, both resolved from the pack directory, as the pack itself resolves them.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const levels = ["advisory", "mandatory", "disabled", "remediate"];

/** A module as seen from `dir` (the pack's own dependencies, not the caller's). */
function from(dir, request) {
  return require(require.resolve(request, { paths: [dir] }));
}

/**
 * Starts the pack in `packDir` and returns an analyzer client. `stop()` ends the process.
 * Rejects with the pack's stderr when it exits before printing its port.
 */
async function startPack(packDir, { timeoutMs = 120000 } = {}) {
  const pulumiDir = path.dirname(
    require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }),
  );
  const runner = path.join(pulumiDir, "cmd", "run-policy-pack");
  // The engine address is the language host's first argument; a policy pack never dials it.
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the pack printed no port within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      stdout += d;
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pack exited with ${code} before serving\n${stdout}${stderr}`));
    });
  });
  const grpc = from(pulumiDir, "@grpc/grpc-js");
  const rpc = from(pulumiDir, "@pulumi/pulumi/proto/analyzer_grpc_pb");
  const proto = from(pulumiDir, "@pulumi/pulumi/proto/analyzer_pb");
  const { Struct } = from(pulumiDir, "google-protobuf/google/protobuf/struct_pb");
  const { Empty } = from(pulumiDir, "google-protobuf/google/protobuf/empty_pb");
  const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method, request) =>
    new Promise((resolve, reject) =>
      client[method](request, (err, response) => (err ? reject(err) : resolve(response))),
    );

  const options = (r) => {
    const o = new proto.AnalyzerResourceOptions();
    o.setProtect(Boolean(r.protect));
    if (r.parent) o.setParent(r.parent);
    return o;
  };
  const provider = (p) => {
    const out = new proto.AnalyzerProviderResource();
    out.setType(p.type);
    out.setName(p.name);
    out.setUrn(p.urn);
    out.setProperties(Struct.fromJavaScript(p.props ?? {}));
    return out;
  };
  const response = (res) => ({
    diagnostics: res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      enforcementLevel: levels[d.getEnforcementlevel()],
      message: d.getMessage(),
      urn: d.getUrn(),
    })),
    notApplicable: res
      .getNotApplicableList()
      .map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  });

  return {
    port,
    /** GetAnalyzerInfo: the pack's name, version and policies. */
    async info() {
      const info = await call("getAnalyzerInfo", new Empty());
      return {
        name: info.getName(),
        version: info.getVersion(),
        supportsConfig: info.getSupportsconfig(),
        policies: info.getPoliciesList().map((p) => ({
          name: p.getName(),
          enforcementLevel: levels[p.getEnforcementlevel()],
          configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
          required: p.getConfigschema()?.getRequiredList(),
        })),
      };
    },
    /** Configure: `--policy-pack-config`, `{ policy: { enforcementLevel, ...properties } }`. */
    async configure(config) {
      const req = new proto.ConfigureAnalyzerRequest();
      for (const [name, entry] of Object.entries(config)) {
        const { enforcementLevel = "advisory", ...properties } = entry;
        const c = new proto.PolicyConfig();
        c.setEnforcementlevel(levels.indexOf(enforcementLevel));
        c.setProperties(Struct.fromJavaScript(properties));
        req.getPolicyconfigMap().set(name, c);
      }
      await call("configure", req);
    },
    /** Analyze: one resource's inputs, before it is created or updated. */
    async analyze(r) {
      const req = new proto.AnalyzeRequest();
      req.setType(r.type);
      req.setName(r.name);
      req.setUrn(r.urn);
      req.setProperties(Struct.fromJavaScript(r.props));
      req.setOptions(options(r));
      if (r.provider) req.setProvider(provider(r.provider));
      return response(await call("analyze", req));
    },
    /** AnalyzeStack: every resource's outputs, after the preview or update. */
    async analyzeStack(resources) {
      const req = new proto.AnalyzeStackRequest();
      req.setResourcesList(
        resources.map((r) => {
          const out = new proto.AnalyzerResource();
          out.setType(r.type);
          out.setName(r.name);
          out.setUrn(r.urn);
          out.setProperties(Struct.fromJavaScript(r.props));
          out.setOptions(options(r));
          if (r.parent) out.setParent(r.parent);
          out.setDependenciesList(r.dependencies ?? []);
          if (r.provider) out.setProvider(provider(r.provider));
          return out;
        }),
      );
      return response(await call("analyzeStack", req));
    },
    /** What the pack wrote to stderr so far (the CLI shows it under the stack's diagnostics). */
    stderr() {
      return stderr;
    },
    stop() {
      client.close();
      child.kill();
    },
  };
}

module.exports = { startPack };
