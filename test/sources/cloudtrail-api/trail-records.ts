import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** Every record of the trail files (.json.gz / .json with a Records array) under `dir`; digests skipped. */
export async function readTrailRecords(dir: string): Promise<unknown[]> {
  const records: unknown[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.json(\.gz)?$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.includes("CloudTrail-Digest")) continue;
    const bytes = await readFile(path);
    const document = JSON.parse((path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8")) as { Records?: unknown };
    if (Array.isArray(document.Records)) records.push(...(document.Records as unknown[]));
  }
  return records;
}
