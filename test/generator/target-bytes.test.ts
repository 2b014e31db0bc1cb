import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../../src/generator/generate-corpus.js";

describe("targetBytes", () => {
  it.each([1.5, 12])("lands within a quarter of %s MiB uncompressed", async (mib) => {
    const dir = mkdtempSync(join(tmpdir(), "rolechain-size-"));
    try {
      const target = mib * 1024 * 1024;
      const corpus = await generateCorpus({ outDir: dir, seed: 3, targetBytes: target, days: 3 });
      expect(corpus.uncompressedBytes).toBeGreaterThan(target * 0.75);
      expect(corpus.uncompressedBytes).toBeLessThan(target * 1.25);
      expect(corpus.scenarios.length).toBe(21);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects corpora too short for the scenarios", async () => {
    await expect(generateCorpus({ outDir: join(tmpdir(), "rolechain-never"), days: 1 })).rejects.toThrow(/days/);
  });
});
