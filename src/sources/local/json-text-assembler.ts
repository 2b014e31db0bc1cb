import { DocumentTooLargeError, NotJsonError } from "./read-failures.js";

/**
 * Groups a file's lines into JSON texts, deciding from the first non-blank line how the file is
 * laid out:
 * - NDJSON: the name says .jsonl/.ndjson, or the first line is complete by itself (starts with
 *   `{`/`[` and ends with `}`/`]`). Each line is its own text, so memory follows the longest line,
 *   not the file. A one-line `{"Records":[…]}` file (what CloudTrail writes) is the one-text case.
 * - a document spread over lines (pretty-printed): all lines make one text, up to a size cap.
 * A first line that cannot start any JSON container ends the file at once, even when the
 * needle pre-filter would skip it, so a stray non-JSON file is reported on the first query.
 */

export interface JsonText {
  bytes: Buffer;
  /** 1-based line the text starts on. */
  line: number;
  /** True for a line of an NDJSON file, false for a whole document. */
  isLine: boolean;
}

const LINE_ORIENTED_NAME = /\.(?:jsonl|ndjson)(?:\.gz)?$/i;

export function isLineOrientedName(filePath: string): boolean {
  return LINE_ORIENTED_NAME.test(filePath);
}

/** "{…}" or "[…]" on one line; a pretty-printed document's first line is "{" or `{"Records": [`. */
export function looksLikeCompleteJsonLine(line: Buffer): boolean {
  const first = firstNonWhitespace(line);
  const last = lastNonWhitespace(line);
  if (first === -1 || first === last) return false;
  const open = line[first];
  const close = line[last];
  return (open === OPEN_BRACE && close === CLOSE_BRACE) || (open === OPEN_BRACKET && close === CLOSE_BRACKET);
}

export class JsonTextAssembler {
  private mode: "undecided" | "lines" | "document" = "undecided";
  private documentLines: Buffer[] = [];
  private documentBytes = 0;
  private documentStartLine = 0;

  constructor(
    private readonly lineOriented: boolean,
    private readonly maxDocumentBytes: number,
    private readonly onText: (text: JsonText) => void,
  ) {}

  pushLine(rawLine: Buffer, lineNumber: number): void {
    const line = lineNumber === 1 ? withoutByteOrderMark(rawLine) : rawLine;
    if (this.mode === "document") {
      this.appendToDocument(line);
      return;
    }
    if (firstNonWhitespace(line) === -1) return;
    if (this.mode === "undecided") this.decide(line, lineNumber);
    if (this.mode === "lines") this.onText({ bytes: line, line: lineNumber, isLine: true });
  }

  end(): void {
    if (this.mode !== "document") return;
    const lines = this.documentLines;
    this.documentLines = [];
    this.onText({ bytes: joinLines(lines, this.documentBytes), line: this.documentStartLine, isLine: false });
  }

  /** Whether any JSON text was seen (an empty or all-blank file has none). */
  get sawContent(): boolean {
    return this.mode !== "undecided";
  }

  private decide(line: Buffer, lineNumber: number): void {
    const open = line[firstNonWhitespace(line)];
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) throw new NotJsonError(describeNonContainerStart(line));
    if (this.lineOriented || looksLikeCompleteJsonLine(line)) {
      this.mode = "lines";
    } else {
      this.mode = "document";
      this.documentStartLine = lineNumber;
      this.appendToDocument(line);
    }
  }

  private appendToDocument(line: Buffer): void {
    // +1 for the newline put back between lines.
    this.documentBytes += line.length + 1;
    if (this.documentBytes > this.maxDocumentBytes) throw new DocumentTooLargeError(this.maxDocumentBytes);
    this.documentLines.push(line);
  }
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isJsonWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

export function firstNonWhitespace(line: Buffer): number {
  for (let i = 0; i < line.length; i++) if (!isJsonWhitespace(line[i])) return i;
  return -1;
}

export function lastNonWhitespace(line: Buffer): number {
  for (let i = line.length - 1; i >= 0; i--) if (!isJsonWhitespace(line[i])) return i;
  return -1;
}

function withoutByteOrderMark(line: Buffer): Buffer {
  return line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? line.subarray(3) : line;
}

function joinLines(lines: readonly Buffer[], totalBytes: number): Buffer {
  const joined = Buffer.allocUnsafe(Math.max(totalBytes - 1, 0));
  let offset = 0;
  lines.forEach((line, index) => {
    if (index > 0) joined[offset++] = 0x0a;
    offset += line.copy(joined, offset);
  });
  return joined;
}

/** JSON.parse's own words on the first bytes, or what JSON value it is when it parses. */
function describeNonContainerStart(line: Buffer): string {
  const sample = line.subarray(0, 64).toString("utf8");
  try {
    const value: unknown = JSON.parse(line.length <= 4096 ? line.toString("utf8") : sample);
    return `not CloudTrail: top-level JSON is ${value === null ? "null" : `a ${typeof value}`}`;
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
}
