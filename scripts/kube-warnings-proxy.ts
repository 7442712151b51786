// Records every warning the Kubernetes API server sends to a client that does not show them.
//
//   tsx scripts/kube-warnings-proxy.ts PKI_DIR UPSTREAM_URL WARNINGS_FILE PORT_FILE
//
// The Kubernetes provider drops the server's warnings (pulumi-kubernetes
// pkg/provider/provider.go, Configure: `config.WarningHandler = rest.NoWarnings{}`), so Pod
// Security's "would violate PodSecurity" on a workload, a deprecated API or a dropped unknown
// field never reaches `pulumi up`. scripts/kube-apiserver-up.sh puts this proxy between the
// provider and the server: it listens on 127.0.0.1 (a free port, written to PORT_FILE) with the
// server's own certificate (PKI_DIR/server.{crt,key}, valid for 127.0.0.1), forwards each request
// to UPSTREAM_URL as the admin client (PKI_DIR/admin.{crt,key}, trusting PKI_DIR/ca.crt), streams
// the answer back (watches included), and appends one JSON line per `Warning` header the server
// returned to WARNINGS_FILE: {"method","path","warning"}, and one line per request to
// WARNINGS_FILE.requests ("METHOD PATH STATUS"), so a client that bypassed it is seen.
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";

function main(argv: readonly string[]): number {
  const [pki, upstream, warningsFile, portFile, ...extra] = argv;
  if (
    pki === undefined ||
    upstream === undefined ||
    warningsFile === undefined ||
    portFile === undefined ||
    extra.length > 0
  ) {
    console.error(
      `kube-warnings-proxy: expected PKI_DIR UPSTREAM_URL WARNINGS_FILE PORT_FILE, got ${JSON.stringify(argv)}`,
    );
    return 2;
  }
  const read = (name: string) => fs.readFileSync(path.join(pki, name));
  const target = new URL(upstream);
  const agent = new https.Agent({
    ca: read("ca.crt"),
    cert: read("admin.crt"),
    key: read("admin.key"),
    keepAlive: true,
  });
  fs.writeFileSync(warningsFile, "");
  const requestsFile = `${warningsFile}.requests`;
  fs.writeFileSync(requestsFile, "");

  const server = https.createServer(
    { cert: read("server.crt"), key: read("server.key") },
    (req, res) => {
      const upstreamReq = https.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (upstreamRes) => {
          fs.appendFileSync(
            requestsFile,
            `${req.method} ${req.url} ${String(upstreamRes.statusCode)}\n`,
          );
          const raw = upstreamRes.headers["warning"];
          for (const warning of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
            fs.appendFileSync(
              warningsFile,
              `${JSON.stringify({ method: req.method, path: req.url, warning })}\n`,
            );
          }
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      upstreamReq.on("error", (err) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`kube-warnings-proxy: ${err.message}\n`);
      });
      req.pipe(upstreamReq);
      // A client that goes away before the answer is complete (a watch closed) closes its upstream
      // request too.
      res.on("close", () => {
        if (!res.writableFinished) upstreamReq.destroy();
      });
    },
  );
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    fs.writeFileSync(portFile, `${address.port}\n`);
  });
  return 0;
}

const code = main(process.argv.slice(2));
if (code !== 0) process.exit(code);
