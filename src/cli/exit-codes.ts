/** Exit codes are a contract with scripts and schedulers: documented in docs/cli.md, never renumbered. */
export const ExitCode = {
  /** The chain was rebuilt to its origin. */
  Complete: 0,
  /** Something unexpected; a bug report is welcome. */
  InternalError: 1,
  /** Bad flags or arguments. */
  Usage: 2,
  /** The subject was found but the chain has a gap (see the report's gaps). */
  Incomplete: 3,
  /** No event with that eventID in the sources. */
  SubjectNotFound: 4,
  /** A --source could not be read at all. sweep: also when files were skipped and there are no new findings. */
  SourceUnreadable: 5,
  // `rolechain sweep` (docs/sweep.md): 0 = no new findings, 2 = bad config/usage/state file, 5 as above.
  /** sweep: no new findings (the same value as Complete). */
  SweepNoNewFindings: 0,
  /** sweep: new findings were printed. */
  SweepNewFindings: 3,
  /** sweep: new findings were printed AND some files were skipped or only partly read (results are partial). */
  SweepNewFindingsPartial: 6,
  /** sweep: another run holds the --state file's lock; nothing was read, printed or written. */
  SweepStateLocked: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
