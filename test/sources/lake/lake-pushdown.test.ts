import { GetQueryResultsCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRecord } from "../../../src/core/cloudtrail-event.js";
import { matchesEventQuery, type EventQuery } from "../../../src/core/event-query.js";
import { createLakeSource } from "../../../src/sources/lake/lake-source.js";
import {
  AT, EDGE_AT, EDGE_IDS, EDGE_RECORDS, ID, NOT_SAME_ACCOUNT_IDS, PUSHDOWN_RECORDS,
} from "../../helpers/cross-account-records.js";
import { startLakeEmulator, type LakeEmulator } from "../../helpers/lake-emulator/lake-emulator.js";
import { lakeTestClient } from "../../helpers/lake-emulator/lake-test-client.js";

// crossAccountOnly and roleNames are filtered by the engine (DuckDB behind the Lake shim), not only by
// the source's re-match: the rows asserted on are the ones the emulator's GetQueryResults returned.
const EDS = "eds-pushdown-0123456789";
const at = (iso: string) => ({ startMs: Date.parse(iso), endMs: Date.parse(iso) });

let emulator: LakeEmulator;
let client: CloudTrailClient;
beforeAll(async () => {
  emulator = await startLakeEmulator({ eventDataStoreId: EDS, records: [...PUSHDOWN_RECORDS, ...EDGE_RECORDS], queuedPolls: 0, runningPolls: 0 });
  client = lakeTestClient(emulator.url);
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

/** The source's answer, and the eventIDs of the rows the engine returned for its one statement. */
async function run(query: EventQuery) {
  const source = createLakeSource(EDS, { client, pollIntervalMs: 1, sleep: async () => undefined });
  const [answer] = await source.query([query]);
  expect(source.problems()).toEqual([]);
  const { queryIds } = source.stats();
  expect(queryIds).toHaveLength(1);
  const results = await client.send(new GetQueryResultsCommand({ EventDataStore: EDS, QueryId: queryIds[0]! }));
  const engineIds = (results.QueryResultRows ?? []).map((row) => row.find((cell) => "eventid" in cell)?.["eventid"]).sort();
  return { ids: (answer?.events ?? []).map((e) => e.eventID).sort(), engineIds, statement: emulator.statements.at(-1)! };
}

function referenceIds(query: EventQuery, raw: readonly Record<string, unknown>[]): string[] {
  return raw.flatMap((r) => {
    const normalized = normalizeRecord(r);
    return normalized.ok && matchesEventQuery(normalized.event, query) ? [normalized.event.eventID] : [];
  }).sort();
}

describe("Lake pushdown of crossAccountOnly and roleNames", () => {
  it("crossAccountOnly: the engine returns exactly the 4 rows that are not same-account assumptions", async () => {
    expect((await run({ eventNames: ["AssumeRole"], timeRange: at(AT) })).engineIds).toHaveLength(6);
    const query: EventQuery = { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange: at(AT) };
    const { ids, engineIds, statement } = await run(query);
    expect(statement).toContain("NOT COALESCE(regexp_like(");
    expect(engineIds).toEqual(NOT_SAME_ACCOUNT_IDS);
    expect(ids).toEqual(NOT_SAME_ACCOUNT_IDS);
    expect(ids).toEqual(referenceIds(query, PUSHDOWN_RECORDS));
  });

  it("crossAccountOnly keeps rows whose account fields are empty, missing past the ARN's end or not digits", async () => {
    const query: EventQuery = { crossAccountOnly: true, timeRange: at(EDGE_AT) };
    const { ids, engineIds } = await run(query);
    expect(engineIds).toEqual(EDGE_IDS);
    expect(ids).toEqual(referenceIds(query, EDGE_RECORDS));
  });

  it("roleNames: the engine matches a pathed role ARN by its last segment, without case", async () => {
    for (const names of [["DEPLOYROLE"], ["deployrole", "Nobody"]]) {
      const { ids, engineIds } = await run({ eventNames: ["AssumeRole"], roleNames: names, timeRange: at(AT) });
      expect(engineIds).toEqual([ID.pathed]);
      expect(ids).toEqual([ID.pathed]);
    }
    expect((await run({ roleNames: ["team"], timeRange: at(AT) })).engineIds).toEqual([]);
    expect((await run({ roleNames: ["admin"], timeRange: at(AT) })).engineIds).toEqual([ID.sameAccount, ID.callerCopy, ID.ownerCopy].sort());
  });
});
