import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// The JSON report is what .ci/run turns into the "N passed, N failed" line CI reads.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Caches (the local index, S3 objects) of every command a test runs go here, never to ~/.cache.
    // One folder for the whole run: later traces use what earlier ones indexed, as in an incident.
    env: { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "rolechain-test-cache-")) },
  },
});
