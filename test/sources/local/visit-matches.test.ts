import { describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { combineSources, visitMatches, type Coverage } from "../../../src/sources/event-source.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { memorySource } from "../../helpers/memory-source.js";

const timeRange = { startMs: Date.parse("2026-11-16T00:00:00Z"), endMs: Date.parse("2026-11-17T12:00:00Z") };
const queries: EventQuery[] = [
  { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange },
  { eventNames: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"], timeRange },
];

async function visited(visit: (onMatch: (e: { eventID: string }, i: number) => void) => Promise<Coverage[]>) {
  const matches: string[] = [];
  const coverage = await visit((event, i) => matches.push(`${i}:${event.eventID}`));
  return { matches, coverage };
}

function listed(answers: { events: { eventID: string }[]; coverage: Coverage }[]) {
  return { matches: answers.flatMap((a, i) => a.events.map((e) => `${i}:${e.eventID}`)), coverage: answers.map((a) => a.coverage) };
}

describe("visiting a query batch", () => {
  it("hands over what the local source's answer holds, with the same coverage, file by file in its order", async () => {
    const asked = await createLocalSource(["fixtures/sample/logs"], { useIndex: false });
    const answers = await asked.query(queries);
    const visitor = await createLocalSource(["fixtures/sample/logs"], { useIndex: false });
    const result = await visited((onMatch) => visitor.visit(queries, onMatch));
    expect(answers[0]!.events.length).toBeGreaterThan(10);
    expect(answers[1]!.events.length).toBeGreaterThan(answers[0]!.events.length);
    // Answers list per query; a visit interleaves the queries file by file: same matches, same order per query.
    const perQuery = (m: string[], i: number) => m.filter((x) => x.startsWith(`${i}:`));
    const expected = listed(answers);
    for (const i of [0, 1]) expect(perQuery(result.matches, i)).toEqual(perQuery(expected.matches, i));
    expect(result.matches).toHaveLength(expected.matches.length);
    expect(result.coverage).toEqual(expected.coverage);
    expect(visitor.stats()).toEqual(asked.stats());
  });

  it("falls back on query for a source without visit, and combines sources one after the other", async () => {
    const local = await createLocalSource(["fixtures/sample/logs"], { useIndex: false });
    const expected = listed(await local.query(queries));
    const fallback = await visited(async (onMatch) => visitMatches(memorySource([]), queries, onMatch));
    expect(fallback).toEqual({ matches: [], coverage: expect.any(Array) });
    const combined = combineSources([await createLocalSource(["fixtures/sample/logs"], { useIndex: false }), memorySource([])]);
    const result = await visited((onMatch) => visitMatches(combined, queries, onMatch));
    expect(result.matches.sort()).toEqual([...expected.matches].sort());
    expect(result.coverage.map((c) => c.accounts)).toEqual(expected.coverage.map((c) => c.accounts));
  });
});
