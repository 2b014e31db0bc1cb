import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { LAKE_TABLE_COLUMNS, lakeRowOf } from "./lake-table.js";
import { translateLakeSql, type EventTimeWindow } from "./lake-sql-shim.js";

/**
 * CloudTrail Lake's query API on 127.0.0.1, AWS JSON 1.1 (targets CloudTrail_20131101.StartQuery,
 * DescribeQuery, GetQueryResults, CancelQuery), executing the SQL on DuckDB over a table named after
 * the event data store id, holding the given records in Lake's shape (lake-table.ts).
 *
 * As the real service (facts §8) as far as known: StartQuery returns a QueryId at once and the query
 * goes QUEUED → RUNNING → FINISHED over successive polls (FAILED with DuckDB's message for SQL that
 * does not run); GetQueryResults pages with MaxQueryResults 1–1000 and an opaque NextToken, rows as
 * lists of single-key {column: string} maps, column names lower case as Trino reports them.
 * SQL outside the subset lake-sql-shim.ts accepts is refused with InvalidQueryStatementException.
 *
 * BytesScanned approximates Lake's billing: the stored bytes (record JSON) of every record whose
 * eventTime falls in the WHERE clause's eventTime window, whatever else the predicate says (Lake
 * prunes by time; the real figure depends on its storage format and will differ).
 */
export interface LakeEmulatorOptions {
  eventDataStoreId: string;
  records: readonly unknown[];
  /** Polls answered QUEUED, then RUNNING, before the final status (default 1 each). */
  queuedPolls?: number;
  runningPolls?: number;
  /** Top-level columns to leave out of the table: a store whose schema lacks what the source selects (→ FAILED). */
  omitColumns?: readonly string[];
}

export interface LakeEmulator {
  url: string;
  /** Every QueryStatement StartQuery received, refused ones included, in order. */
  statements: string[];
  /** x-amz-target (without the service prefix) of every request. */
  requests: string[];
  /** Rows in the table (duplicates by eventID included, as a store ingesting two copies would hold them). */
  rowCount: number;
  close(): Promise<void>;
}

type QueryStatus = "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "CANCELLED";

interface EmulatedQuery {
  id: string;
  statement: string;
  polls: number;
  cancelled: boolean;
  execution: Promise<{ ok: true; columns: string[]; rows: string[][] } | { ok: false; message: string }>;
  settled: Awaited<EmulatedQuery["execution"]> | null;
  bytesScanned: number;
  eventsScanned: number;
  createdAt: number;
}

class ApiError extends Error {
  constructor(readonly type: string, message: string) { super(message); }
}

const PREFIX = "CloudTrail_20131101.";
const MAX_PAGE = 1000;

export async function startLakeEmulator(options: LakeEmulatorOptions): Promise<LakeEmulator> {
  const queuedPolls = options.queuedPolls ?? 1;
  const runningPolls = options.runningPolls ?? 1;
  const table = options.eventDataStoreId;
  const lakeRows = options.records.map(lakeRowOf).filter((r) => r !== null);
  // For BytesScanned: (eventTime, bytes) sorted by time.
  const sizes = lakeRows.filter((r) => r.eventTimeMs !== null).map((r) => [r.eventTimeMs!, r.bytes] as const).sort((a, b) => a[0] - b[0]);

  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection = await instance.connect();
  const omitted = new Set(options.omitColumns ?? []);
  await loadTable(connection, table, LAKE_TABLE_COLUMNS.filter(([name]) => !omitted.has(name)), lakeRows.map((r) => r.row));

  // One statement at a time on the connection.
  let queue: Promise<unknown> = Promise.resolve();
  const execute = (sql: string): EmulatedQuery["execution"] => {
    const run = queue.then(async () => {
      try {
        const reader = await connection.runAndReadAll(sql);
        const columns = reader.columnNames().map((c) => c.toLowerCase());
        const rows = reader.getRowsJson().map((row) => row.map(cellText));
        return { ok: true as const, columns, rows };
      } catch (error) {
        return { ok: false as const, message: error instanceof Error ? error.message : String(error) };
      }
    });
    queue = run;
    return run;
  };

  const statements: string[] = [];
  const requests: string[] = [];
  const queries = new Map<string, EmulatedQuery>();

  const scanned = (window: EventTimeWindow): { bytes: number; events: number } => {
    let bytes = 0;
    let events = 0;
    for (const [t, size] of sizes) {
      if ((window.fromMs === null || t >= window.fromMs) && (window.toMs === null || t <= window.toMs)) {
        bytes += size;
        events++;
      }
    }
    return { bytes, events };
  };

  const queryOf = (input: Record<string, unknown>): EmulatedQuery => {
    const query = queries.get(String(input.QueryId));
    if (!query) throw new ApiError("QueryIdNotFoundException", `The query ID ${String(input.QueryId)} does not exist.`);
    return query;
  };

  /** Advances the query one poll; the final status waits for DuckDB (quick here). */
  const poll = async (query: EmulatedQuery): Promise<QueryStatus> => {
    if (query.cancelled) return "CANCELLED";
    query.polls++;
    if (query.polls <= queuedPolls) return "QUEUED";
    if (query.polls <= queuedPolls + runningPolls) return "RUNNING";
    query.settled ??= await query.execution;
    return query.settled.ok ? "FINISHED" : "FAILED";
  };

  const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    StartQuery: async (input) => {
      const statement = String(input.QueryStatement ?? "");
      statements.push(statement);
      if (statement.length === 0 || statement.length > 10_000) throw new ApiError("InvalidQueryStatementException", "QueryStatement must be 1–10000 characters.");
      const shim = translateLakeSql(statement, new Set([table]));
      if (!shim.ok) throw new ApiError("InvalidQueryStatementException", `Query statement is not supported: ${shim.message}`);
      const { bytes, events } = scanned(shim.window);
      const query: EmulatedQuery = {
        id: randomUUID(), statement, polls: 0, cancelled: false, execution: execute(shim.duckdbSql), settled: null,
        bytesScanned: bytes, eventsScanned: events, createdAt: Date.now(),
      };
      queries.set(query.id, query);
      return { QueryId: query.id };
    },
    DescribeQuery: async (input) => {
      const query = queryOf(input);
      const status = await poll(query);
      const done = status === "FINISHED";
      const failed = query.settled && !query.settled.ok ? query.settled.message : undefined;
      return {
        QueryId: query.id,
        QueryString: query.statement,
        QueryStatus: status,
        QueryStatistics: {
          EventsMatched: done && query.settled?.ok ? query.settled.rows.length : 0,
          EventsScanned: done ? query.eventsScanned : 0,
          BytesScanned: done ? query.bytesScanned : 0,
          ExecutionTimeInMillis: 1,
          CreationTime: Math.floor(query.createdAt / 1000),
        },
        ...(status === "FAILED" && failed ? { ErrorMessage: failed } : {}),
      };
    },
    GetQueryResults: async (input) => {
      const query = queryOf(input);
      const max = input.MaxQueryResults === undefined ? MAX_PAGE : Number(input.MaxQueryResults);
      if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) throw new ApiError("InvalidMaxResultsException", "MaxQueryResults must be 1–1000.");
      const status = query.settled ? (query.cancelled ? "CANCELLED" : query.settled.ok ? "FINISHED" : "FAILED") : await poll(query);
      if (status !== "FINISHED" || !query.settled?.ok) {
        return { QueryStatus: status, ...(query.settled && !query.settled.ok ? { ErrorMessage: query.settled.message } : {}) };
      }
      const { columns, rows } = query.settled;
      const offset = input.NextToken === undefined ? 0 : offsetOf(String(input.NextToken), query.id);
      const page = rows.slice(offset, offset + max);
      const next = offset + max < rows.length ? tokenOf(query.id, offset + max) : undefined;
      return {
        QueryStatus: status,
        QueryStatistics: { ResultsCount: page.length, TotalResultsCount: rows.length, BytesScanned: query.bytesScanned },
        QueryResultRows: page.map((row) => row.map((value, i) => ({ [columns[i]!]: value }))),
        ...(next ? { NextToken: next } : {}),
      };
    },
    CancelQuery: async (input) => {
      const query = queryOf(input);
      query.cancelled = true;
      return { QueryId: query.id, QueryStatus: "CANCELLED" };
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : target;
      requests.push(operation);
      const handler = req.method === "POST" && target.startsWith(PREFIX) ? handlers[operation] : undefined;
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(body));
      };
      if (!handler) {
        reply(400, { __type: "UnknownOperationException", message: `no such operation: ${target}` });
        return;
      }
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        reply(400, { __type: "SerializationException", message: "body is not JSON" });
        return;
      }
      handler(input).then((body) => reply(200, body), (error: unknown) => {
        if (error instanceof ApiError) reply(400, { __type: error.type, message: error.message });
        else reply(500, { __type: "InternalFailure", message: error instanceof Error ? error.message : String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    statements,
    requests,
    rowCount: lakeRows.length,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.catch(() => undefined);
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Loads Lake-shaped rows through an NDJSON file read with Lake's column types. */
async function loadTable(
  connection: DuckDBConnection, table: string, tableColumns: typeof LAKE_TABLE_COLUMNS, rows: readonly Record<string, unknown>[],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lake-emulator-"));
  try {
    const file = join(dir, "rows.ndjson");
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
    const columns = tableColumns.map(([name, type]) => `${name}: '${type}'`).join(", ");
    await connection.run(`CREATE TABLE "${table}" AS SELECT * FROM read_json('${file.replaceAll("'", "''")}', `
      + `format = 'newline_delimited', maximum_object_size = 268435456, columns = {${columns}})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every Lake result cell is a string; NULL is written "" ([UNVERIFIED]: the real service's NULL cell is undocumented). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function tokenOf(queryId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: queryId, o: offset })).toString("base64");
}

function offsetOf(token: string, queryId: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { q?: unknown; o?: unknown };
    if (parsed.q === queryId && typeof parsed.o === "number") return parsed.o;
  } catch {
    // fall through
  }
  throw new ApiError("InvalidNextTokenException", "A token that is not valid, or a token that was previously used in a request with different parameters.");
}
