#!/usr/bin/env node
// The `moneytrail` command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs
// through the `prepare` script).
import { run } from "../dist/src/cli/main.js";

process.exitCode = await run(process.argv.slice(2));
