import {
  GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type AthenaClient, type StartQueryExecutionCommandInput,
} from "@aws-sdk/client-athena";
import { pollWithBackoff, type BackoffPolicy } from "../poll-with-backoff.js";
import type { AthenaTableSpec } from "./athena-table-spec.js";
import { describeFailedQuery } from "./athena-errors.js";

/** Athena takes seconds per query: start polling fast for small queries, then back off. */
/** GetQueryExecution polling; past timeoutMs the query is stopped (StopQueryExecution). */
export const DEFAULT_POLL: BackoffPolicy = { initialIntervalMs: 100, maxIntervalMs: 2000, timeoutMs: 10 * 60_000 };

export interface QueryRunHooks {
  poll: BackoffPolicy;
  sleep: (ms: number) => Promise<void>;
  /** GetQueryResults page size; at most 1000 (the API's limit). */
  pageSize: number;
  onStarted?: (queryExecutionId: string) => void;
}

export type QueryRunResult =
  | { ok: true; queryExecutionId: string; rows: (string | null)[][]; dataScannedBytes: number }
  | { ok: false; queryExecutionId: string; reason: string; dataScannedBytes: number };

/**
 * StartQueryExecution → GetQueryExecution with backoff until a final state → GetQueryResults pages.
 * Values travel only as ExecutionParameters. The first row of the first page is the header and is
 * dropped; a cell without VarCharValue is NULL. API errors are thrown (the caller describes them);
 * a query Athena ran and failed is a result with Athena's reason.
 */
export async function runAthenaQuery(
  client: AthenaClient, spec: AthenaTableSpec, sql: string, parameters: readonly string[], hooks: QueryRunHooks,
): Promise<QueryRunResult> {
  const input: StartQueryExecutionCommandInput = {
    QueryString: sql,
    QueryExecutionContext: { Database: spec.database, ...(spec.catalog ? { Catalog: spec.catalog } : {}) },
    ...(parameters.length > 0 ? { ExecutionParameters: [...parameters] } : {}),
    ...(spec.workgroup ? { WorkGroup: spec.workgroup } : {}),
    ...(spec.outputLocation ? { ResultConfiguration: { OutputLocation: spec.outputLocation } } : {}),
  };
  const started = await client.send(new StartQueryExecutionCommand(input));
  const id = started.QueryExecutionId;
  if (!id) throw new Error("StartQueryExecution returned no QueryExecutionId");
  hooks.onStarted?.(id);

  let lastState: string | undefined;
  let lastScanned = 0;
  const outcome = await pollWithBackoff(async (): Promise<QueryRunResult | undefined> => {
    const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const status = execution?.Status;
    const scanned = execution?.Statistics?.DataScannedInBytes ?? 0;
    const state = status?.State;
    if (state === "SUCCEEDED") return { ok: true, queryExecutionId: id, rows: await readAllRows(client, id, hooks.pageSize), dataScannedBytes: scanned };
    if (state === "FAILED" || state === "CANCELLED") {
      return { ok: false, queryExecutionId: id, reason: describeFailedQuery(state, status?.StateChangeReason, status?.AthenaError?.ErrorMessage), dataScannedBytes: scanned };
    }
    lastState = state;
    lastScanned = scanned;
    return undefined;
  }, hooks.poll, hooks.sleep);
  if (outcome.settled) return outcome.value;
  await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  return { ok: false, queryExecutionId: id, reason: `query still ${lastState ?? "unknown"} after ${Math.round(outcome.waitedMs / 1000)} s; stopped`, dataScannedBytes: lastScanned };
}

async function readAllRows(client: AthenaClient, id: string, pageSize: number): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: pageSize, ...(nextToken ? { NextToken: nextToken } : {}) }));
    const pageRows = page.ResultSet?.Rows ?? [];
    for (const [i, row] of pageRows.entries()) {
      if (first && i === 0) continue;
      rows.push((row.Data ?? []).map((cell) => cell.VarCharValue ?? null));
    }
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}
