import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultS3CacheDir } from "../../src/cli/default-cache-dir.js";

describe("defaultS3CacheDir", () => {
  it("lives under XDG_CACHE_HOME when that is an absolute path", () => {
    expect(defaultS3CacheDir({ XDG_CACHE_HOME: "/var/cache/ir" })).toBe("/var/cache/ir/rolechain/s3");
  });

  it("falls back to ~/.cache, also for a relative XDG_CACHE_HOME (the XDG spec says to ignore it)", () => {
    expect(defaultS3CacheDir({})).toBe(`${homedir()}/.cache/rolechain/s3`);
    expect(defaultS3CacheDir({ XDG_CACHE_HOME: "cache" })).toBe(`${homedir()}/.cache/rolechain/s3`);
  });
});
