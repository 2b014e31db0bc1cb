/** Where the CLI writes; tests and the bins pass process streams, nothing else touches them. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}
