import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCorpus, type GeneratedCorpus } from "../../../src/generator/generate-corpus.js";

export const SMALL_TARGET_BYTES = 2 * 1024 * 1024;

/** Generates a small corpus in a fresh temp dir; call the returned cleanup in afterAll. */
export async function generateSmallCorpus(seed: number, targetBytes = SMALL_TARGET_BYTES): Promise<{ corpus: GeneratedCorpus; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "rolechain-gen-"));
  const corpus = await generateCorpus({ outDir: dir, seed, targetBytes });
  return { corpus, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
