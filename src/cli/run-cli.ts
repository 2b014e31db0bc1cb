import yargs from "yargs";
import { UsageError, type CliIo } from "./cli-io.js";
import { ExitCode } from "./exit-codes.js";
import { runSweepCommand, sweepOptions, type SweepArgs } from "./sweep-command.js";
import { runTraceRole, traceRoleOptions, type TraceRoleArgs } from "./trace-role-command.js";

/**
 * The process edge: parses flags, runs one command, maps errors to exit codes. Commands return
 * their exit code; a usage error is one line on stderr and exit 2; anything unexpected keeps its stack.
 */
export async function runCli(argv: readonly string[], io: CliIo, scriptName = "rolechain"): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Complete;
  const parser = yargs([...argv])
    .scriptName(scriptName)
    .command("trace-role", "Trace the role-assumption chain behind one CloudTrail event",
      (y) => traceRoleOptions(y),
      async (args) => {
        exitCode = await runTraceRole(args as unknown as TraceRoleArgs, io);
      })
    .command("sweep", "Scan CloudTrail for role assumptions and trust policies that break the config's rules (scheduled backdoor detection)",
      (y) => sweepOptions(y),
      async (args) => {
        exitCode = await runSweepCommand(args as unknown as SweepArgs, io);
      })
    .demandCommand(1, "Name a command: trace-role or sweep")
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.name === "YError")) {
      io.stderr.write(`${scriptName}: ${error.message}\nRun '${scriptName} --help' for usage.\n`);
      return ExitCode.Usage;
    }
    io.stderr.write(`${scriptName}: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return ExitCode.InternalError;
  }
}
