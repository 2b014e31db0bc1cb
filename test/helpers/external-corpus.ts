import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "./run-cli.js";

/**
 * Real CloudTrail records written by other projects: shared/corpus/external, next to the clone on
 * the development and CI machines, read in place and never copied into this repository (some of it
 * carries no licence). A clone elsewhere has no such folder; its tests are then skipped, not failed.
 */
export const externalCorpusDir = resolve(repoRoot, "../shared/corpus/external");
export const hasExternalCorpus = existsSync(externalCorpusDir);
