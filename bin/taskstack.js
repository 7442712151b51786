#!/usr/bin/env node
"use strict";
// The published command runs the compiled CLI; inside the repository `npm start` runs the sources.
require("../dist/cli/main.js").main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
