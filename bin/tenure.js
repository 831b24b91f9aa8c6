#!/usr/bin/env node
'use strict';
// Thin shim: the CLI lives in shared/cli (compiled to dist/ by `npx tsc -p .`).
require('../dist/shared/cli/main.js').main(process.argv.slice(2));
