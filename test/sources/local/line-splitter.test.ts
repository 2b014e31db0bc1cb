import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../src/sources/local/line-splitter.js";
import { DocumentTooLargeError } from "../../../src/sources/local/read-failures.js";

function split(chunks: string[], maxLineBytes = 1024): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLineBytes);
  const onLine = (line: Buffer, n: number) => lines.push(`${n}:${line.toString("utf8")}`);
  for (const chunk of chunks) splitter.push(Buffer.from(chunk, "utf8"), onLine);
  splitter.end(onLine);
  return lines;
}

describe("LineSplitter", () => {
  it("joins lines cut across chunks and strips CR", () => {
    expect(split(['{"a":', '1}\r\n{"b"', ":2}\n", "\n", '{"c":3}'])).toEqual(['1:{"a":1}', '2:{"b":2}', "3:", '4:{"c":3}']);
  });

  it("keeps multi-byte characters whole when a chunk boundary falls inside one", () => {
    const bytes = Buffer.from('{"name":"Zoë 🛡"}\n', "utf8");
    const lines: string[] = [];
    const splitter = new LineSplitter(1024);
    for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1), (line) => lines.push(line.toString("utf8")));
    expect(lines).toEqual(['{"name":"Zoë 🛡"}']);
  });

  it("refuses a line over the cap, whether it ends or not", () => {
    expect(() => split(["x".repeat(2000) + "\n"])).toThrow(DocumentTooLargeError);
    expect(() => split(["x".repeat(600), "x".repeat(600)])).toThrow(DocumentTooLargeError);
    expect(split(["x".repeat(1024) + "\n"])).toHaveLength(1);
  });

  it("hands over a one-line file without a final newline as the chunk itself, not a copy", () => {
    const chunk = Buffer.from('{"Records":[]}');
    const lines: Buffer[] = [];
    const splitter = new LineSplitter(1024);
    splitter.push(chunk, (line) => lines.push(line));
    splitter.end((line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.buffer).toBe(chunk.buffer);
    expect(lines[0]!.byteOffset).toBe(chunk.byteOffset);
    expect(lines[0]!.length).toBe(chunk.length);
  });
});
