#!/usr/bin/env node
"use strict";
// Installed packages run the compiled CLI; a checkout without a build runs the sources via tsx.
const fs = require("node:fs");
const path = require("node:path");

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
