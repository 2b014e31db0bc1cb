import { describe, expect, it } from "vitest";
import { decodeIndex, encodeIndex, type IndexedFile } from "../../../src/sources/local/index-store.js";

function entry(hashes: number[], overrides: Partial<IndexedFile> = {}): IndexedFile {
  return {
    fingerprint: { size: 1234, mtimeMs: 1794894581123.5, ctimeMs: 1794894582000.25, ino: 987654321 },
    earliestMs: 1794894000000, latestMs: 1794894599999,
    eventIdHashes: Uint32Array.from(hashes),
    coverage: { accounts: ["111111111111"], regions: ["us-east-1"], earliestMs: 1794894000000, latestMs: 1794894599999 },
    ...overrides,
  };
}

const files = new Map<string, IndexedFile>([
  ["/evidence/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/17/a.json.gz", entry([1, 7, 0xffffffff])],
  ["/evidence/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/17/b.json.gz", entry([], { earliestMs: null, latestMs: null })],
  ["/evidence/exports/siem.jsonl", entry([42], {
    coverage: { accounts: ["111111111111", "222222222222"], regions: [], earliestMs: null, latestMs: null },
  })],
  ["C:\\evidence\\trail.json", entry([5, 6])],
  ["no-folder.json", entry([9])],
]);

describe("the index file format", () => {
  it("gives back exactly what was stored: paths, fingerprints, times, nulls, coverage and hashes", () => {
    const decoded = decodeIndex(encodeIndex(files));
    expect(decoded).not.toBeNull();
    expect([...decoded!.keys()]).toEqual([...files.keys()]);
    for (const [path, stored] of files) {
      const got = decoded!.get(path)!;
      expect({ ...got, eventIdHashes: [...got.eventIdHashes] }, path).toEqual({ ...stored, eventIdHashes: [...stored.eventIdHashes] });
    }
  });

  it("reads an index at any offset of a larger buffer (copies, never misaligned views)", () => {
    const bytes = encodeIndex(files);
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    expect(decodeIndex(shifted.subarray(3))?.get("no-folder.json")?.eventIdHashes).toEqual(Uint32Array.from([9]));
  });

  it("refuses damaged bytes whole, never half-uses them", () => {
    const bytes = encodeIndex(files);
    const headerLength = bytes.readUInt32LE("rolechain-index/2\n".length);
    const numbersStart = "rolechain-index/2\n".length + 4 + headerLength;
    const withNumber = (column: number, value: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy.writeDoubleLE(value, numbersStart + column * 8);
      return copy;
    };
    const damaged: Record<string, Buffer> = {
      "cut short": bytes.subarray(0, bytes.length - 4),
      "a trailing byte": Buffer.concat([bytes, Buffer.from([0])]),
      "the previous version": Buffer.concat([Buffer.from("rolechain-index/1\n"), bytes.subarray("rolechain-index/2\n".length)]),
      "a folder that is not there": withNumber(0, 99),
      "a fractional hash count": withNumber(7, 1.5),
      "more hashes than stored": withNumber(7, 1e6),
      "a size that is not a number": withNumber(1, Number.NaN),
      "a coverage set that is not there": withNumber(8, -1),
      "a header that is not JSON": Buffer.concat([bytes.subarray(0, numbersStart - 1), Buffer.from("!"), bytes.subarray(numbersStart)]),
      "nothing": Buffer.alloc(0),
    };
    for (const [what, bytes] of Object.entries(damaged)) expect(decodeIndex(bytes), what).toBeNull();
  });
});
