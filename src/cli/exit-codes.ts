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
  /** A --source could not be read at all. */
  SourceUnreadable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
