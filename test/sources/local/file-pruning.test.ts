import { describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { fileMayHoldMatches, queriesForFile } from "../../../src/sources/local/file-pruning.js";
import { describeLogFilePath } from "../../../src/sources/local/log-file-facts.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const tolerance = { deliverySlackMs: 12 * HOUR, clockSkewMs: 15 * MINUTE };

/** A file of account 111111111111 delivered at the given minute. */
function deliveredAt(iso: string, accountId = "111111111111") {
  const stamp = iso.replaceAll("-", "").replace(":", "").slice(0, 13);
  return describeLogFilePath(`flat/${accountId}_CloudTrail_us-east-1_${stamp}Z_Ab12Cd34Ef56Gh78.json.gz`);
}

const eventAt10: EventQuery = {
  timeRange: { startMs: Date.parse("2026-11-17T10:00:00Z"), endMs: Date.parse("2026-11-17T10:05:00Z") },
};

describe("fileMayHoldMatches", () => {
  it("reads a file delivered a few minutes after the range", () => {
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T10:10"), eventAt10, tolerance)).toBe(true);
  });

  it("prunes a file whose account the query excludes", () => {
    const query: EventQuery = { accountIds: ["222222222222"] };
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T10:10"), query, tolerance)).toBe(false);
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T10:10", "222222222222"), query, tolerance)).toBe(true);
  });

  it("prunes a file delivered before the range start minus the clock skew", () => {
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T09:40"), eventAt10, tolerance)).toBe(false);
    // Within the skew: a record stamped 10:00:30 may sit in the file named 09:50.
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T09:50"), eventAt10, tolerance)).toBe(true);
  });

  it("keeps a file named in the minute the range starts (names have minute resolution)", () => {
    const query: EventQuery = { timeRange: { startMs: Date.parse("2026-11-17T10:00:40Z"), endMs: Date.parse("2026-11-17T10:01:00Z") } };
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T10:00"), query, { ...tolerance, clockSkewMs: 0 })).toBe(true);
  });

  it("prunes a file delivered after the range end plus the delivery slack", () => {
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T22:06"), eventAt10, tolerance)).toBe(false);
  });

  it("reads a late delivery that is still inside the slack", () => {
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T21:30"), eventAt10, tolerance)).toBe(true);
    expect(fileMayHoldMatches(deliveredAt("2026-11-17T21:30"), eventAt10, { ...tolerance, deliverySlackMs: HOUR })).toBe(false);
  });

  it("always reads files whose path says nothing, and never prunes a query without range or accounts", () => {
    const unknown = describeLogFilePath("exports/incident.json");
    expect(fileMayHoldMatches(unknown, { ...eventAt10, accountIds: ["999999999999"] }, tolerance)).toBe(true);
    expect(fileMayHoldMatches(deliveredAt("2020-01-01T00:00"), { eventIds: ["x"] }, tolerance)).toBe(true);
  });

  it("uses the day folders when only they are known", () => {
    const dayOnly = describeLogFilePath("AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/16/renamed.json");
    expect(fileMayHoldMatches(dayOnly, eventAt10, tolerance)).toBe(false);
    expect(fileMayHoldMatches(dayOnly, eventAt10, { ...tolerance, clockSkewMs: 11 * HOUR })).toBe(true);
  });
});

describe("queriesForFile", () => {
  it("lists the queries of a batch that the file may answer", () => {
    const other: EventQuery = { accountIds: ["222222222222"] };
    expect(queriesForFile(deliveredAt("2026-11-17T10:10"), [other, eventAt10, {}], tolerance)).toEqual([1, 2]);
    expect(queriesForFile(deliveredAt("2026-11-17T10:10"), [other], tolerance)).toEqual([]);
  });
});
