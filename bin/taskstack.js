#!/usr/bin/env node
"use strict";
// Installed packages run the compiled CLI; a checkout without a build runs the sources via tsx.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

// A plan keeps every resource's registration in flight at once; with V8's default young
// generation, scavenges then copy those registrations over and over and a 10,000-resource plan
// spends a third of its time in them (`npm run bench`). The CLI gives itself a larger one, unless
// the caller chose a size.
const youngGeneration = "--max-semi-space-size=64";
const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) =>
  a.startsWith("--max-semi-space-size"),
);
if (!chosen) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, youngGeneration, __filename, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  if (child.error) throw child.error;
  // A child ended by a signal (Ctrl-C) ends this process the same way.
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}

const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require("tsx/cjs/api").register();
  cli = require(path.join(__dirname, "..", "cli", "main.ts"));
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
