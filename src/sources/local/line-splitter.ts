import { DocumentTooLargeError } from "./read-failures.js";

/**
 * Splits a byte stream into lines without decoding it, so callers can search undecoded bytes
 * and decode only what they parse. Cutting at 0x0A is UTF-8 safe: that byte never occurs inside
 * a multi-byte character. Unlike readline, it refuses a line longer than `maxLineBytes`, which is
 * what keeps a 2 GB single-line file from exhausting memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Calls onLine for every complete line in `chunk` (1-based numbers, "\n" and a trailing "\r" removed). */
  push(chunk: Buffer, onLine: (line: Buffer, lineNumber: number) => void): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      this.checkLength(this.pendingBytes + piece.length);
      const line = this.pending.length === 0 ? piece : this.takePending(piece);
      onLine(withoutTrailingCarriageReturn(line), ++this.lineNumber);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.checkLength(this.pendingBytes + rest.length);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  /** Flushes a last line that has no trailing newline. */
  end(onLine: (line: Buffer, lineNumber: number) => void): void {
    if (this.pending.length === 0) return;
    onLine(withoutTrailingCarriageReturn(this.takePending(Buffer.alloc(0))), ++this.lineNumber);
  }

  private takePending(last: Buffer): Buffer {
    // A file's one line without a final newline (how CloudTrail writes) is the chunk itself: no copy.
    const only = this.pending.length === 1 && last.length === 0 ? this.pending[0] : undefined;
    this.pending.push(last);
    const line = only ?? Buffer.concat(this.pending, this.pendingBytes + last.length);
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) throw new DocumentTooLargeError(this.maxLineBytes);
  }
}

function withoutTrailingCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
