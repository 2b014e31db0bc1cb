import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { describeReadFailure } from "../../../src/sources/local/read-failures.js";

function errorWithCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe("describeReadFailure", () => {
  it("names file system failures in a few words", () => {
    expect(describeReadFailure(errorWithCode("EACCES"))).toBe("cannot read: permission denied (EACCES)");
    expect(describeReadFailure(errorWithCode("EMFILE", "too many open files"))).toBe("cannot read: too many open files");
  });

  it("names gzip failures as zlib reports them", () => {
    let truncated: unknown;
    try { gunzipSync(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00])); } catch (error) { truncated = error; }
    expect(describeReadFailure(truncated)).toBe("truncated gzip: unexpected end of gzip data");
    expect(describeReadFailure(errorWithCode("Z_DATA_ERROR", "incorrect header check"))).toBe("corrupt gzip: incorrect header check");
  });

  it("does not pass a bug off as a bad file", () => {
    expect(describeReadFailure(new TypeError("x is undefined"))).toBe("internal error while reading (please report): x is undefined");
  });
});
