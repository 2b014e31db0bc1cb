import { describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { Prng } from "../../../src/generator/prng.js";
import { DEFAULT_DELIVERY_TOLERANCE, queriesForFile } from "../../../src/sources/local/file-pruning.js";
import { FilesByDelivery } from "../../../src/sources/local/files-by-delivery.js";
import type { LogFileFacts } from "../../../src/sources/local/log-file-facts.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const START = Date.parse("2026-11-10T00:00:00Z");

/** Files of a trail over 8 days: minute-resolution names, day folders only, and paths that give no time. */
function randomFiles(prng: Prng, count: number): { facts: LogFileFacts }[] {
  return Array.from({ length: count }, () => {
    const kind = prng.int(10);
    const accountId = prng.chance(0.5) ? "111111111111" : "222222222222";
    let delivery: LogFileFacts["delivery"] = null;
    if (kind < 7) {
      const fromMs = START + prng.int(8 * 24 * 60) * MINUTE;
      delivery = { fromMs, toMs: fromMs + MINUTE - 1 };
    } else if (kind < 9) {
      const fromMs = START + prng.int(8) * DAY;
      delivery = { fromMs, toMs: fromMs + DAY - 1 };
    }
    return { facts: { kind: "trail-log", accountId, region: "us-east-1", organizationId: null, delivery, notLogReason: null } };
  });
}

function randomQuery(prng: Prng, timed: boolean): EventQuery {
  const startMs = START - DAY + prng.int(10 * 24 * 60) * MINUTE;
  const query: EventQuery = { eventNames: ["AssumeRole"] };
  if (timed) query.timeRange = { startMs, endMs: startMs + prng.int(3 * 60) * MINUTE + prng.int(1000) };
  if (prng.chance(0.3)) query.accountIds = ["222222222222"];
  return query;
}

describe("FilesByDelivery", () => {
  it("offers every file a batch's time ranges can reach, in discovery order, and prunes the rest", () => {
    const prng = new Prng(42);
    for (let round = 0; round < 200; round++) {
      const files = randomFiles(prng, 1 + prng.int(400));
      const byDelivery = new FilesByDelivery(files);
      const queries = Array.from({ length: 1 + prng.int(3) }, () => randomQuery(prng, true));
      const candidates = byDelivery.candidates(queries, DEFAULT_DELIVERY_TOLERANCE);
      expect(candidates).not.toBeNull();
      const needed = files.flatMap((file, i) => (queriesForFile(file.facts, queries, DEFAULT_DELIVERY_TOLERANCE).length > 0 ? [i] : []));
      const offeredSet = new Set(candidates);
      expect(needed.filter((i) => !offeredSet.has(i)), `round ${round}`).toEqual([]);
      expect(candidates).toEqual([...offeredSet].sort((a, b) => a - b));
      // Files with no time in their path are always offered.
      files.forEach((file, i) => { if (file.facts.delivery === null) expect(offeredSet.has(i)).toBe(true); });
    }
  });

  it("offers exactly the files one query needs when every name has minute resolution", () => {
    const prng = new Prng(3);
    let offered = 0;
    let total = 0;
    for (let round = 0; round < 50; round++) {
      const files = randomFiles(prng, 300).filter((f) => f.facts.delivery !== null && f.facts.delivery.toMs - f.facts.delivery.fromMs < MINUTE);
      const query = randomQuery(prng, true);
      delete query.accountIds; // an account filter would prune more than time does
      const needed = files.flatMap((file, i) => (queriesForFile(file.facts, [query], DEFAULT_DELIVERY_TOLERANCE).length > 0 ? [i] : []));
      const candidates = new FilesByDelivery(files).candidates([query], DEFAULT_DELIVERY_TOLERANCE);
      expect(candidates).toEqual(needed);
      offered += needed.length;
      total += files.length;
    }
    // Ranges of at most 3 hours (plus the 12 h delivery slack) over 8 days: most files are never looked at.
    expect(offered).toBeLessThan(total / 3);
  });

  it("offers no choice when a query has no time range", () => {
    const prng = new Prng(7);
    const byDelivery = new FilesByDelivery(randomFiles(prng, 50));
    expect(byDelivery.candidates([randomQuery(prng, true), randomQuery(prng, false)], DEFAULT_DELIVERY_TOLERANCE)).toBeNull();
  });

  it("reaches back a whole day for files that only have a day folder", () => {
    const dayFile = { facts: { kind: "trail-log", accountId: null, region: null, organizationId: null, delivery: { fromMs: START, toMs: START + DAY - 1 }, notLogReason: null } } as const;
    const byDelivery = new FilesByDelivery([dayFile]);
    const lateThatDay = START + DAY - 10 * MINUTE;
    expect(byDelivery.candidates([{ timeRange: { startMs: lateThatDay, endMs: lateThatDay + MINUTE } }], DEFAULT_DELIVERY_TOLERANCE)).toEqual([0]);
    expect(byDelivery.candidates([{ timeRange: { startMs: START + DAY + 16 * MINUTE, endMs: START + 2 * DAY } }], DEFAULT_DELIVERY_TOLERANCE)).toEqual([]);
  });
});
