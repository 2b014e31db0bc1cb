import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { formatIsoSeconds, parseCloudTrailTime } from "../core/cloudtrail-time.js";
import type { Finding } from "../schema/finding.js";

/**
 * The state of scheduled sweeps (`--state FILE`): how far the last completed run read, and which
 * findings it already reported that the next run can still see again (its window starts `overlap`
 * before the watermark). docs/sweep.md describes the guarantees.
 */
export const SweepStateSchema = z.object({
  schema: z.literal("rolechain.sweep-state/v1"),
  watermark: z.string().refine((t) => parseCloudTrailTime(t) !== null, "not an ISO 8601 time"),
  /** Finding id (or KIND:shared:SHAREDEVENTID, see reportKeys) → eventTime of the finding's event. */
  reported: z.record(z.string(), z.string()),
});

export type SweepState = z.infer<typeof SweepStateSchema>;

/** A state file that exists but is not a rolechain state (corrupt, or some other file). */
export class SweepStateFileError extends Error {
  override readonly name = "SweepStateFileError";
}

/** The state, or null when the file does not exist yet (the first run). */
export async function readSweepState(path: string): Promise<SweepState | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new SweepStateFileError(`${path}: cannot read state file: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SweepStateFileError(`${path}: state file is not valid JSON; move it away to start over (see docs/sweep.md)`);
  }
  const result = SweepStateSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
    throw new SweepStateFileError(`${path}: not a rolechain.sweep-state/v1 file (${where}${issue?.message ?? "invalid"}); move it away to start over`);
  }
  return result.data;
}

export function watermarkMs(state: SweepState): number {
  // Validated by the schema's refine.
  return parseCloudTrailTime(state.watermark) ?? 0;
}

export type ReportedFinding = Pick<Finding, "id" | "kind" | "sharedEventID" | "eventTime">;

/**
 * The keys a reported finding is remembered by: its id, and for a cross-account call also
 * `KIND:shared:SHAREDEVENTID`. The two copies of one call share the sharedEventID but not the
 * eventID, and they can arrive in different runs (each account's trail delivers on its own): a run
 * that saw only one copy and a later run that sees the other must not report the call twice.
 */
export function reportKeys(finding: Pick<Finding, "id" | "kind" | "sharedEventID">): string[] {
  return finding.sharedEventID ? [finding.id, `${finding.kind}:shared:${finding.sharedEventID}`] : [finding.id];
}

export function wasReported(finding: Pick<Finding, "id" | "kind" | "sharedEventID">, reported: ReadonlySet<string>): boolean {
  return reportKeys(finding).some((key) => reported.has(key));
}

/**
 * The state after a completed run over a window ending at `windowEndMs`. The watermark never moves
 * back. A reported key is kept only while its event could fall into the next window, i.e. its
 * eventTime is at or after the new watermark minus the overlap: that bounds the file's size.
 */
export function advanceSweepState(
  previous: SweepState | null,
  windowEndMs: number,
  newlyReported: readonly ReportedFinding[],
  overlapMs: number,
): SweepState {
  const newWatermarkMs = Math.max(previous ? watermarkMs(previous) : windowEndMs, windowEndMs);
  const keepFromMs = newWatermarkMs - overlapMs;
  const reported: Record<string, string> = {};
  const candidates: Array<[string, string]> = [
    ...Object.entries(previous?.reported ?? {}),
    // An event without a usable time is kept as if it happened at the window's end.
    ...newlyReported.flatMap((f) => reportKeys(f).map((key): [string, string] => [key, f.eventTime ?? formatIsoSeconds(windowEndMs)])),
  ];
  for (const [id, eventTime] of candidates) {
    const t = parseCloudTrailTime(eventTime);
    if (t !== null && t >= keepFromMs) reported[id] = eventTime;
  }
  const sorted = Object.fromEntries(Object.entries(reported).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { schema: "rolechain.sweep-state/v1", watermark: formatIsoSeconds(newWatermarkMs), reported: sorted };
}

/** Writes the state atomically: a reader (or a crash) sees the old file or the new one, never a mix. */
export async function writeSweepState(path: string, state: SweepState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Write a temporary file in the same folder (rename is atomic only within one file system), fsync
 * it, rename it over the target, then fsync the folder so the rename itself survives a crash.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", 0o600);
  try {
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncFolder(dir);
}

async function fsyncFolder(dir: string): Promise<void> {
  // Not every platform lets a folder be opened and synced (Windows); the rename is done either way.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
