import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AthenaClient } from "@aws-sdk/client-athena";
import { BIGINT, DuckDBInstance, VARCHAR, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import {
  duckDbColumnDefinitions, knownIdentifiers, partitionColumns, tableRow, type StoredRecord, type TableShape,
} from "./cloudtrail-table.js";
import { parseParameterLiteral, type BoundValue } from "./parameter-literal.js";
import { shimStatement, TRINO_FUNCTION_MACROS, type ShimmedStatement } from "./trino-shim.js";

/**
 * A local Athena: AWS JSON 1.1 over node:http (StartQueryExecution, GetQueryExecution,
 * GetQueryResults, StopQueryExecution), SQL run by an embedded DuckDB holding one CloudTrail table
 * in AWS's DDL shape. Statements pass the Trino shim (trino-shim.ts); ExecutionParameters are
 * parsed as literals and bound to prepared-statement `?`s, never spliced into the SQL.
 *
 * States: QUEUED for `queuedPolls` GetQueryExecution calls, RUNNING for `runningPolls` more, then
 * SUCCEEDED or FAILED (shim refusal, bad parameter, DuckDB error: its message is the
 * StateChangeReason and AthenaError.ErrorMessage).
 *
 * DataScannedInBytes: the summed JSON size of the records in the partitions the statement's
 * partition predicate selects (the predicate run alone over the table, with its parameters), or of
 * the whole table when the statement has none — what Athena reads from JSON logs, which it cannot
 * skip inside a partition.
 */
export interface AthenaEmulatorOptions extends TableShape {
  records: readonly StoredRecord[];
  database?: string;
  table?: string;
  queuedPolls?: number;
  runningPolls?: number;
}

export interface EmulatedQuery {
  queryExecutionId: string;
  sql: string;
  parameters: string[];
  database: string | null;
  catalog: string | null;
  workgroup: string | null;
  outputLocation: string | null;
  /** The partition predicate as received (DuckDB form), or null. */
  partitionPredicate: string | null;
  /** Partitions read, "timestamp=2026/11/16/account=…" style keys of the partition column values. */
  partitionsScanned: string[];
  dataScannedBytes: number;
  state: string;
  stateChangeReason: string | null;
  rowCount: number;
}

export interface AthenaEmulator {
  url: string;
  database: string;
  table: string;
  queries: EmulatedQuery[];
  requests: { target: string; body: Record<string, unknown> }[];
  client(): AthenaClient;
  close(): Promise<void>;
}

interface Execution {
  log: EmulatedQuery;
  polls: number;
  done: Promise<void>;
  header: string[];
  rows: (string | null)[][];
  submittedAt: number;
  completedAt: number | null;
}

const DUCK_TABLE = "cloudtrail_table";

export async function startAthenaEmulator(options: AthenaEmulatorOptions): Promise<AthenaEmulator> {
  const database = options.database ?? "cloudtrail";
  const table = options.table ?? "trail";
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection = await instance.connect();
  for (const macro of TRINO_FUNCTION_MACROS) await connection.run(macro);
  await loadTable(connection, options);

  const context = {
    database, table, duckTable: DUCK_TABLE,
    identifiers: knownIdentifiers(options), partitionColumns: partitionColumns(options),
  };
  const queries: EmulatedQuery[] = [];
  const requests: AthenaEmulator["requests"] = [];
  const executions = new Map<string, Execution>();
  // DuckDB connections run one statement at a time; chain executions.
  let queue: Promise<void> = Promise.resolve();

  const execute = async (execution: Execution): Promise<void> => {
    const log = execution.log;
    try {
      const shimmed = shimStatement(log.sql, context);
      const values = log.parameters.map(parseParameterLiteral);
      if (values.length !== shimmed.parameterCount) {
        throw new Error(`emulator: ${shimmed.parameterCount} ? in the statement, ${values.length} execution parameters`);
      }
      log.partitionPredicate = shimmed.partitionSql;
      await scanAccounting(connection, shimmed, values, log, context.partitionColumns);
      // Integer literals bind as BIGINT (as Trino types them), not the HUGEINT DuckDB infers for a bigint.
      const reader = await connection.runAndReadAll(shimmed.duckSql, values as DuckDBValue[], values.map((v) => (typeof v === "bigint" ? BIGINT : VARCHAR)));
      execution.header = reader.columnNames();
      execution.rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      log.rowCount = execution.rows.length;
      log.state = "SUCCEEDED";
    } catch (error) {
      log.state = "FAILED";
      log.stateChangeReason = error instanceof Error ? error.message : String(error);
    }
    execution.completedAt = Date.now();
  };

  const handlers: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    "AmazonAthena.StartQueryExecution": async (body) => {
      const sql = body["QueryString"];
      if (typeof sql !== "string" || sql.length === 0) throw new ApiError("InvalidRequestException", "QueryString is required");
      const parameters = body["ExecutionParameters"];
      if (parameters !== undefined && (!Array.isArray(parameters) || parameters.length === 0 || !parameters.every((p) => typeof p === "string" && p.length >= 1 && p.length <= 1024))) {
        throw new ApiError("InvalidRequestException", "ExecutionParameters must be 1 or more strings of 1 to 1024 characters");
      }
      const contextIn = (body["QueryExecutionContext"] ?? {}) as Record<string, unknown>;
      const id = randomUUID();
      const log: EmulatedQuery = {
        queryExecutionId: id, sql, parameters: (parameters as string[] | undefined) ?? [],
        database: typeof contextIn["Database"] === "string" ? contextIn["Database"] : null,
        catalog: typeof contextIn["Catalog"] === "string" ? contextIn["Catalog"] : null,
        workgroup: typeof body["WorkGroup"] === "string" ? body["WorkGroup"] : null,
        outputLocation: stringAt(body, "ResultConfiguration", "OutputLocation"),
        partitionPredicate: null, partitionsScanned: [], dataScannedBytes: 0, state: "QUEUED", stateChangeReason: null, rowCount: 0,
      };
      queries.push(log);
      const execution: Execution = { log, polls: 0, done: Promise.resolve(), header: [], rows: [], submittedAt: Date.now(), completedAt: null };
      execution.done = queue = queue.then(() => (log.state === "CANCELLED" ? undefined : execute(execution)));
      executions.set(id, execution);
      return { QueryExecutionId: id };
    },
    "AmazonAthena.GetQueryExecution": async (body) => {
      const execution = executionFor(body);
      execution.polls++;
      const queued = options.queuedPolls ?? 1;
      const running = options.runningPolls ?? 1;
      let state: string;
      if (execution.log.state === "CANCELLED") state = "CANCELLED";
      else if (execution.polls <= queued) state = "QUEUED";
      else if (execution.polls <= queued + running) state = "RUNNING";
      else {
        await execution.done;
        state = execution.log.state;
      }
      const final = state === "SUCCEEDED" || state === "FAILED" || state === "CANCELLED";
      const reason = execution.log.stateChangeReason;
      return {
        QueryExecution: {
          QueryExecutionId: execution.log.queryExecutionId,
          Query: execution.log.sql,
          StatementType: "DML",
          ExecutionParameters: execution.log.parameters,
          Status: {
            State: state,
            SubmissionDateTime: execution.submittedAt / 1000,
            ...(final && execution.completedAt ? { CompletionDateTime: execution.completedAt / 1000 } : {}),
            ...(state === "FAILED" && reason ? { StateChangeReason: reason, AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: reason } } : {}),
          },
          Statistics: final ? { DataScannedInBytes: execution.log.dataScannedBytes, EngineExecutionTimeInMillis: 1, TotalExecutionTimeInMillis: 1 } : {},
        },
      };
    },
    "AmazonAthena.GetQueryResults": async (body) => {
      const execution = executionFor(body);
      const max = body["MaxResults"] ?? 1000;
      if (typeof max !== "number" || max < 1 || max > 1000) throw new ApiError("InvalidRequestException", "MaxResults must be between 1 and 1000");
      if (execution.log.state !== "SUCCEEDED") {
        throw new ApiError("InvalidRequestException", `Query has not yet finished. Current state: ${execution.log.state}`);
      }
      const all = [execution.header, ...execution.rows];
      const token = body["NextToken"];
      const start = typeof token === "string" ? Number(token) : 0;
      if (!Number.isInteger(start) || start < 0 || start > all.length) throw new ApiError("InvalidRequestException", "invalid NextToken");
      const page = all.slice(start, start + max);
      return {
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: { ColumnInfo: execution.header.map((name) => ({ CatalogName: "hive", Name: name, Label: name, Type: "varchar", Nullable: "UNKNOWN", CaseSensitive: true })) },
        },
        UpdateCount: 0,
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    },
    "AmazonAthena.StopQueryExecution": async (body) => {
      const execution = executionFor(body);
      if (execution.log.state === "QUEUED" || execution.log.state === "RUNNING") execution.log.state = "CANCELLED";
      return {};
    },
  };

  const executionFor = (body: Record<string, unknown>): Execution => {
    const id = body["QueryExecutionId"];
    const execution = typeof id === "string" ? executions.get(id) : undefined;
    if (!execution) throw new ApiError("InvalidRequestException", `QueryExecution ${String(id)} was not found`);
    return execution;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => { text += chunk; });
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const respond = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(payload));
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text || "{}") as Record<string, unknown>;
      } catch {
        respond(400, { __type: "SerializationException", message: "body is not JSON" });
        return;
      }
      requests.push({ target, body });
      const handler = handlers[target];
      if (!handler) {
        respond(400, { __type: "UnknownOperationException", message: `no emulation of ${target}` });
        return;
      }
      handler(body).then(
        (payload) => respond(200, payload),
        (error: unknown) => respond(400, error instanceof ApiError ? { __type: error.type, message: error.message } : { __type: "InternalServerException", message: String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, database, table, queries, requests,
    client: () => new AthenaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

class ApiError extends Error {
  constructor(readonly type: string, message: string) { super(message); }
}

/** Bytes and partitions the statement's partition predicate selects (all of the table without one). */
async function scanAccounting(
  connection: DuckDBConnection, shimmed: ShimmedStatement, values: readonly BoundValue[], log: EmulatedQuery, columns: readonly string[],
): Promise<void> {
  const where = shimmed.partitionSql ? `WHERE ${shimmed.partitionSql}` : "";
  const partitionValues = values.slice(0, shimmed.partitionParameterCount) as DuckDBValue[];
  const key = columns.map((c) => `'${c}=' || "${c}"`).join(" || '/' || ");
  const reader = await connection.runAndReadAll(
    `SELECT ${key} AS partition, sum(__bytes) AS bytes FROM ${DUCK_TABLE} ${where} GROUP BY 1 ORDER BY 1`, partitionValues,
  );
  const rows = reader.getRows();
  log.partitionsScanned = rows.map((r) => String(r[0]));
  log.dataScannedBytes = rows.reduce((sum, r) => sum + Number(r[1] ?? 0), 0);
}

/** The corpus into DuckDB: rows shaped like the JsonSerDe would, as NDJSON read with the DDL's types. */
async function loadTable(connection: DuckDBConnection, options: AthenaEmulatorOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "athena-emulator-"));
  try {
    const file = join(dir, "rows.ndjson");
    await writeFile(file, options.records.map((r) => JSON.stringify(tableRow(r, options))).join("\n"));
    const defs = duckDbColumnDefinitions(options);
    const columnsArg = `{${Object.entries(defs).map(([name, type]) => `'${name}': '${type.replaceAll("'", "''")}'`).join(", ")}}`;
    const names = Object.keys(defs).map((n) => `"${n}"`).join(", ");
    await connection.run(
      `CREATE TABLE ${DUCK_TABLE} AS SELECT ${names} FROM read_json('${file}', format = 'newline_delimited', columns = ${columnsArg}, maximum_object_size = 268435456)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function stringAt(body: Record<string, unknown>, key: string, field: string): string | null {
  const value = body[key];
  if (typeof value !== "object" || value === null) return null;
  const inner = (value as Record<string, unknown>)[field];
  return typeof inner === "string" ? inner : null;
}
