/**
 * A --source that cannot be used at all (missing path, no permission). Thrown before any query,
 * so the CLI can stop with its "unreadable sources" exit code instead of tracing over nothing.
 * Problems inside a usable source (one bad file among many) are SourceProblems, not errors.
 */
export class SourceUnavailableError extends Error {
  override readonly name = "SourceUnavailableError";
  /** The path or URI as the user gave it. */
  readonly location: string;

  constructor(location: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot read source ${location}: ${reason}`, options);
    this.location = location;
  }
}

export function isSourceUnavailableError(error: unknown): error is SourceUnavailableError {
  return error instanceof SourceUnavailableError;
}
