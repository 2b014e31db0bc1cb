import { describe, expect, it } from "vitest";
import {
  isLineOrientedName, JsonTextAssembler, looksLikeCompleteJsonLine, type JsonText,
} from "../../../src/sources/local/json-text-assembler.js";
import { DocumentTooLargeError, NotJsonError } from "../../../src/sources/local/read-failures.js";

function assemble(lines: string[], lineOriented = false, max = 1 << 20): Array<Omit<JsonText, "bytes"> & { text: string }> {
  const texts: Array<Omit<JsonText, "bytes"> & { text: string }> = [];
  const assembler = new JsonTextAssembler(lineOriented, max, ({ bytes, ...rest }) => texts.push({ ...rest, text: bytes.toString("utf8") }));
  lines.forEach((line, i) => assembler.pushLine(Buffer.from(line, "utf8"), i + 1));
  assembler.end();
  return texts;
}

describe("JsonTextAssembler", () => {
  it("treats one complete object per line as NDJSON, skipping blank lines", () => {
    expect(assemble(['{"eventID":"a"}', "", '  {"eventID":"b"}  '])).toEqual([
      { text: '{"eventID":"a"}', line: 1, isLine: true },
      { text: '  {"eventID":"b"}  ', line: 3, isLine: true },
    ]);
  });

  it("joins a pretty-printed document into one text, starting at its first line", () => {
    expect(assemble(["", "{", '  "Records": []', "}"])).toEqual([{ text: '{\n  "Records": []\n}', line: 2, isLine: false }]);
  });

  it("trusts a .jsonl name even when the first line looks incomplete", () => {
    expect(assemble(['{"a":', "1}"], true).map((t) => t.isLine)).toEqual([true, true]);
  });

  it("strips a byte-order mark", () => {
    expect(assemble(['\ufeff{"Records":[]}'])[0]!.text).toBe('{"Records":[]}');
  });

  it("stops at once on a file that cannot start any JSON container", () => {
    expect(() => assemble(["# notes", "{}"])).toThrow(NotJsonError);
    expect(() => assemble(["42"])).toThrow("not CloudTrail: top-level JSON is a number");
  });

  it("caps a document's size", () => {
    expect(() => assemble(["[", "1,".repeat(100), "2]"], false, 100)).toThrow(DocumentTooLargeError);
  });

  it("helpers: NDJSON names and complete-looking lines", () => {
    expect(["a.jsonl", "a.NDJSON.gz", "a.jsonl.gz"].map(isLineOrientedName)).toEqual([true, true, true]);
    expect(["a.json", "a.json.gz", "jsonl.txt"].map(isLineOrientedName)).toEqual([false, false, false]);
    expect(['{"a":1}', " [1] ", "{", '{"Records":['].map((s) => looksLikeCompleteJsonLine(Buffer.from(s)))).toEqual([true, true, false, false]);
  });
});
