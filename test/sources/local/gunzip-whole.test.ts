import { gunzipSync, gzipSync, type ZlibOptions } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gunzipWhole } from "../../../src/sources/local/gunzip-whole.js";

const text = (count: number) => `{"Records":[${Array.from({ length: count }, (_, i) => `{"eventID":"id-${i}","pad":"${"x".repeat(i % 97)}"}`).join(",")}]}`;

describe("gunzipWhole", () => {
  it("inflates one gzip member into one buffer of exactly its size (plus the byte zlib needs)", () => {
    const content = text(2_000);
    const chunkSizes: (number | undefined)[] = [];
    const recording = ((bytes: Buffer, options?: ZlibOptions) => {
      chunkSizes.push(options?.chunkSize);
      return gunzipSync(bytes, options);
    }) as typeof gunzipSync;
    const out = gunzipWhole(gzipSync(content), recording);
    expect(chunkSizes).toEqual([Buffer.byteLength(content) + 1]);
    expect(out.toString("utf8")).toBe(content);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength - out.byteLength).toBeLessThanOrEqual(1);
  });

  it("gives the whole content whatever the trailer says: several members, a big file, a tiny one", () => {
    const first = text(300);
    const second = text(40_000);
    const cases: [string, Buffer, string][] = [
      ["two members (the trailer gives the second's size)", Buffer.concat([gzipSync(first), gzipSync(second)]), first + second],
      ["over the 8 MiB chunk cap", gzipSync(second.repeat(4)), second.repeat(4)],
      ["tiny", gzipSync("[]"), "[]"],
    ];
    for (const [name, bytes, content] of cases) expect(gunzipWhole(bytes, gunzipSync).toString("utf8") === content, name).toBe(true);
  });

  it("throws on a trailer that lies about the size, as gunzip does (the caller reports the damage)", () => {
    const lying = gzipSync(text(10));
    lying.writeUInt32LE(7, lying.length - 4);
    expect(() => gunzipWhole(lying, gunzipSync)).toThrow();
  });
});
