/**
 * Why reading one file failed, as one line for a SourceProblem. Streams throw Node errors
 * (fs codes, zlib codes); the parsers throw the two classes below.
 */

/** A single JSON text (document or NDJSON line) is over the size a source agrees to parse. */
export class DocumentTooLargeError extends Error {
  override readonly name = "DocumentTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`too large: a single JSON document is over ${formatMiB(limitBytes)} uncompressed; `
      + "convert it to NDJSON (one record per line), which is read line by line");
  }
}

/** The file is not JSON, or is JSON that cannot be CloudTrail; the message says which. */
export class NotJsonError extends Error {
  override readonly name = "NotJsonError";
}

const FS_REASONS: Readonly<Record<string, string>> = {
  EACCES: "cannot read: permission denied (EACCES)",
  EPERM: "cannot read: operation not permitted (EPERM)",
  ENOENT: "cannot read: file disappeared (ENOENT)",
  EISDIR: "cannot read: is a directory (EISDIR)",
  EIO: "cannot read: I/O error (EIO)",
};

export function describeReadFailure(error: unknown): string {
  if (error instanceof DocumentTooLargeError || error instanceof NotJsonError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // zlib reports a gzip stream cut short as Z_BUF_ERROR "unexpected end of file".
  if (code === "Z_BUF_ERROR") return "truncated gzip: unexpected end of gzip data";
  if (code === "Z_DATA_ERROR") return `corrupt gzip: ${message}`;
  if (typeof code === "string") return FS_REASONS[code] ?? `cannot read: ${message}`;
  // fs and zlib errors always carry a code: anything else is a bug of ours, not a bad file.
  return `internal error while reading (please report): ${message}`;
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib)} MiB` : `${bytes} bytes`;
}
