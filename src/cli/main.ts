#!/usr/bin/env node
// The `codemode` executable (package.json `bin`). Only starts the CLI; everything else is in cli.ts, so
// importing the CLI's parts never runs a command.
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
