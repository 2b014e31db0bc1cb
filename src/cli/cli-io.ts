/** Where the CLI writes; tests and the bins pass process streams, nothing else touches them. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** isTTY decides whether a progress line is drawn; columns keeps it from wrapping. */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** The terminal, for an MFA code a profile asks for; opened only then, so a run never waits on stdin otherwise. */
  openStdin?: () => NodeJS.ReadableStream;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}
