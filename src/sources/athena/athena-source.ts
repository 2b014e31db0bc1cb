import type { AthenaClient } from "@aws-sdk/client-athena";
import { normalizeRecord, type CloudTrailEvent } from "../../core/cloudtrail-event.js";
import { formatIsoSeconds } from "../../core/cloudtrail-time.js";
import { matchesEventQuery, type EventQuery } from "../../core/event-query.js";
import { emptyStats, type Coverage, type EventSource, type QueryAnswer, type SourceProblem, type SourceStats } from "../event-source.js";
import { DEFAULT_DELIVERY_TOLERANCE } from "../local/file-pruning.js";
import { describeAthenaError } from "./athena-errors.js";
import { athenaOrigin, type AthenaTableSpec } from "./athena-table-spec.js";
import { buildAthenaStatements, DEFAULT_MAX_PARAMETERS, type AthenaStatement } from "./build-athena-sql.js";
import type { BackoffPolicy } from "../poll-with-backoff.js";
import { DEFAULT_POLL, runAthenaQuery } from "./run-athena-query.js";
import { rowToRecord } from "./row-to-record.js";
import { PARTITION_ACCOUNT_ALIAS, selectedColumns } from "./selected-columns.js";
import { createProblemLog } from "../problem-log.js";

export { parseAthenaUri } from "./parse-athena-uri.js";
export type { AthenaTableSpec } from "./athena-table-spec.js";

export interface AthenaSourceOptions {
  client: AthenaClient;
  /** How long after an event its log file may be delivered; widens the partition days. Default 12 h. */
  deliverySlackMs?: number;
  /** How far before an event's time its file may be dated. Default 15 min. */
  clockSkewMs?: number;
  onProblem?: (problem: SourceProblem) => void;
  poll?: Partial<BackoffPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** GetQueryResults MaxResults (≤ 1000). */
  pageSize?: number;
  /** Execution parameters per statement before a batch is split into several statements. */
  maxParameters?: number;
}

export interface AthenaSourceStats extends SourceStats {
  /** Statements started (also unitsRead). */
  queriesRun: number;
  /** Statistics.DataScannedInBytes summed (also bytesRead): what Athena bills. */
  dataScannedBytes: number;
  queryExecutionIds: string[];
}

export interface AthenaEventSource extends EventSource {
  stats(): AthenaSourceStats;
}

/**
 * An EventSource over an Athena table of CloudTrail logs. A batch of queries becomes one SELECT
 * (split only past maxParameters values) whose WHERE names the partitions of every query's window
 * and ORs the queries' predicates; values go only as ExecutionParameters. The rows are rebuilt
 * into CloudTrail records and re-matched per query with matchesEventQuery, the reference semantics.
 * A query without a time range is refused (it would scan the whole table), and a failed statement
 * is a problem whose queries answer with nothing searched, so a trace reports a gap, not a crash.
 *
 * Coverage: the query's time window when its statement succeeded; the accounts the query named,
 * else the accounts of the rows returned; the regions of the rows returned (the table's full set
 * of accounts and regions is unknown without a full scan).
 */
export function createAthenaSource(spec: AthenaTableSpec, options: AthenaSourceOptions): AthenaEventSource {
  const origin = athenaOrigin(spec);
  const window = {
    deliverySlackMs: options.deliverySlackMs ?? DEFAULT_DELIVERY_TOLERANCE.deliverySlackMs,
    clockSkewMs: options.clockSkewMs ?? DEFAULT_DELIVERY_TOLERANCE.clockSkewMs,
  };
  const hooks = {
    poll: { ...DEFAULT_POLL, ...options.poll },
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    pageSize: Math.min(options.pageSize ?? 1000, 1000),
    onStarted: (id: string) => { stats.queriesRun++; stats.unitsRead++; stats.queryExecutionIds.push(id); },
  };
  const columns = selectedColumns(spec);
  const stats: AthenaSourceStats = { ...emptyStats(), queriesRun: 0, dataScannedBytes: 0, queryExecutionIds: [] };

  const problemLog = createProblemLog(options.onProblem);
  const report = problemLog.report;

  /** The events of one statement's rows, or null when it could not be run. */
  const runStatement = async (statement: AthenaStatement): Promise<CloudTrailEvent[] | null> => {
    let result;
    try {
      result = await runAthenaQuery(options.client, spec, statement.sql, statement.parameters, hooks);
    } catch (error) {
      report({ location: origin, reason: describeAthenaError(error), effect: "skipped" });
      return null;
    }
    stats.dataScannedBytes += result.dataScannedBytes;
    stats.bytesRead += result.dataScannedBytes;
    if (!result.ok) {
      report({ location: `${origin} (${result.queryExecutionId})`, reason: result.reason, effect: "skipped" });
      return null;
    }
    const events: CloudTrailEvent[] = [];
    for (const row of result.rows) {
      stats.recordsScanned++;
      const record = rowToRecord(columns, row);
      const partitionAccount = row[columns.findIndex((c) => c.alias === PARTITION_ACCOUNT_ALIAS)] ?? null;
      const recipient = typeof record["recipientAccountId"] === "string" ? record["recipientAccountId"] : null;
      const region = typeof record["awsRegion"] === "string" ? record["awsRegion"] : null;
      const parsed = normalizeRecord(record, { origin, accountId: partitionAccount ?? recipient, region });
      if (parsed.ok) events.push(parsed.event);
      else report({ location: `${origin} (${result.queryExecutionId})`, reason: parsed.reason, effect: "partial" });
    }
    return events;
  };

  return {
    label: origin,
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      stats.queries += queries.length;
      const answers: QueryAnswer[] = queries.map(() => emptyAnswer());
      const plan = buildAthenaStatements(queries, spec, window, options.maxParameters ?? DEFAULT_MAX_PARAMETERS);
      for (const refused of plan.refused) report({ location: origin, reason: refused.reason, effect: "skipped" });
      // Statements run one after another: a trace's batches are small, and Athena queues per workgroup anyway.
      for (const statement of plan.statements) {
        const events = await runStatement(statement);
        if (events === null) continue;
        for (const index of statement.queryIndexes) {
          const query = queries[index]!;
          const matched = events.filter((e) => matchesEventQuery(e, query));
          answers[index] = { events: matched, coverage: coverageOf(query, events) };
        }
      }
      return answers;
    },
    problems: problemLog.problems,
    stats: () => ({ ...stats, queryExecutionIds: stats.queryExecutionIds.slice() }),
  };
}

function coverageOf(query: EventQuery, rows: readonly CloudTrailEvent[]): Coverage {
  const range = query.timeRange!;
  const accounts = query.accountIds ?? rows.map((e) => e.location?.accountId ?? e.recipientAccountId).filter((a): a is string => a !== null);
  return {
    accounts: [...new Set(accounts)].sort(),
    regions: [...new Set(rows.map((e) => e.awsRegion).filter((r): r is string => r !== null))].sort(),
    earliestEventTime: formatIsoSeconds(range.startMs),
    latestEventTime: formatIsoSeconds(range.endMs),
  };
}

function emptyAnswer(): QueryAnswer {
  return { events: [], coverage: { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null } };
}
