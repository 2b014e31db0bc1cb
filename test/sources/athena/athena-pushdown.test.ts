import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesEventQuery, type EventQuery } from "../../../src/core/event-query.js";
import { normalizeRecord } from "../../../src/core/cloudtrail-event.js";
import { createAthenaSource } from "../../../src/sources/athena/athena-source.js";
import type { AthenaTableSpec } from "../../../src/sources/athena/athena-table-spec.js";
import { startAthenaEmulator, type AthenaEmulator } from "../../helpers/athena-emulator/athena-emulator.js";
import type { StoredRecord } from "../../helpers/athena-emulator/cloudtrail-table.js";
import {
  AT, CALLER_ACCOUNT, EDGE_AT, EDGE_IDS, EDGE_RECORDS, ID, NOT_SAME_ACCOUNT_IDS, PUSHDOWN_RECORDS,
} from "../../helpers/cross-account-records.js";

// crossAccountOnly and roleNames are filtered by the engine (DuckDB behind the Trino shim), not only
// by the source's re-match: the emulator's row counts are what Athena would hand back.
const spec: AthenaTableSpec = { database: "cloudtrail", table: "trail", partitioning: { kind: "projection", dateColumn: "timestamp" } };
const at = (iso: string) => ({ startMs: Date.parse(iso), endMs: Date.parse(iso) });
const records: StoredRecord[] = [...PUSHDOWN_RECORDS, ...EDGE_RECORDS].map((record) => ({
  record, accountId: String(record["recipientAccountId"] ?? CALLER_ACCOUNT), region: "us-east-1", deliveryDate: "2026/11/16",
}));

let emulator: AthenaEmulator;
beforeAll(async () => { emulator = await startAthenaEmulator({ records, partitioning: "projection", optionalColumns: false, queuedPolls: 0, runningPolls: 0 }); });
afterAll(async () => { await emulator?.close(); });

async function run(query: EventQuery) {
  const source = createAthenaSource(spec, { client: emulator.client(), sleep: async () => undefined });
  const before = emulator.queries.length;
  const [answer] = await source.query([query]);
  const sent = emulator.queries.slice(before);
  expect(sent.map((q) => [q.state, q.stateChangeReason])).toEqual([["SUCCEEDED", null]]);
  expect(source.problems()).toEqual([]);
  return { ids: (answer?.events ?? []).map((e) => e.eventID).sort(), engineRows: sent[0]!.rowCount, recordsScanned: source.stats().recordsScanned };
}

function referenceIds(query: EventQuery, raw: readonly Record<string, unknown>[]): string[] {
  return raw.flatMap((r) => {
    const normalized = normalizeRecord(r);
    return normalized.ok && matchesEventQuery(normalized.event, query) ? [normalized.event.eventID] : [];
  }).sort();
}

describe("Athena pushdown of crossAccountOnly and roleNames", () => {
  it("crossAccountOnly: the engine returns exactly the 4 rows that are not same-account assumptions", async () => {
    const query: EventQuery = { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange: at(AT) };
    const all = await run({ eventNames: ["AssumeRole"], timeRange: at(AT) });
    expect(all.engineRows).toBe(6);
    const { ids, engineRows, recordsScanned } = await run(query);
    expect(engineRows).toBe(4);
    expect(recordsScanned).toBe(4);
    expect(ids).toEqual(NOT_SAME_ACCOUNT_IDS);
    expect(ids).toEqual(referenceIds(query, PUSHDOWN_RECORDS));
    expect(ids).not.toContain(ID.sameAccount);
  });

  it("crossAccountOnly keeps rows whose account fields are empty, missing past the ARN's end or not digits", async () => {
    const query: EventQuery = { crossAccountOnly: true, timeRange: at(EDGE_AT) };
    const { ids, engineRows } = await run(query);
    expect(engineRows).toBe(2);
    expect(ids).toEqual(EDGE_IDS);
    expect(ids).toEqual(referenceIds(query, EDGE_RECORDS));
  });

  it("roleNames: the engine matches a pathed role ARN by its last segment, without case", async () => {
    for (const names of [["DEPLOYROLE"], ["deployrole", "Nobody"]]) {
      const { ids, engineRows } = await run({ eventNames: ["AssumeRole"], roleNames: names, timeRange: at(AT) });
      expect(engineRows).toBe(1);
      expect(ids).toEqual([ID.pathed]);
    }
    // A path segment is not the name; two names match two roles (the cross-account pair shares Admin).
    expect((await run({ roleNames: ["team"], timeRange: at(AT) })).engineRows).toBe(0);
    const admin = await run({ roleNames: ["admin"], timeRange: at(AT) });
    expect(admin.engineRows).toBe(3);
    expect(admin.ids).toEqual([ID.sameAccount, ID.callerCopy, ID.ownerCopy].sort());
  });
});
