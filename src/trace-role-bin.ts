#!/usr/bin/env node
import { runCli } from "./cli/run-cli.js";

// `trace-role …` is `rolechain trace-role …`: same flags, same output, same exit codes.
process.exitCode = await runCli(["trace-role", ...process.argv.slice(2)], { stdout: process.stdout, stderr: process.stderr, openStdin: () => process.stdin }, "trace-role");
