#!/usr/bin/env node
"use strict";
// Installed packages run the compiled CLI; a checkout without a build runs the sources via tsx.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** A module of the CLI: compiled when the package is built, else its source through tsx. */
function cliModule(name) {
  const compiled = path.join(__dirname, "..", "dist", "cli", `${name}.js`);
  if (fs.existsSync(compiled)) return require(compiled);
  require("tsx/cjs/api").register();
  return require(path.join(__dirname, "..", "cli", `${name}.ts`));
}

const argv = process.argv.slice(2);
const relaunched = process.env.TASKSTACK_RELAUNCHED === "1";
if (!relaunched) {
  // Said once, in the process the user started (the relaunched child stays quiet).
  const { nodeVersionNotice } = cliModule("node-support");
  const notice = nodeVersionNotice(process.version);
  if (notice) console.error(notice);
}
// Help answers from a module that imports nothing: no engine, no second process.
const { usage, wantsHelp } = cliModule("usage");
if (wantsHelp(argv)) {
  console.log(usage);
  process.exit(0);
}

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
    [...process.execArgv, youngGeneration, __filename, ...argv],
    { stdio: "inherit", env: { ...process.env, TASKSTACK_RELAUNCHED: "1" } },
  );
  if (child.error) throw child.error;
  // A child ended by a signal (Ctrl-C) ends this process the same way.
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}

cliModule("main")
  .main(argv)
  .then((code) => {
    process.exitCode = code;
  });
