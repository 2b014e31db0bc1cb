import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { normalizeRecord, type CloudTrailEvent } from "../../core/cloudtrail-event.js";
import { formatIsoSeconds } from "../../core/cloudtrail-time.js";
import { matchesEventQuery, type EventQuery } from "../../core/event-query.js";
import { describeLookupError } from "../cloudtrail-api/lookup-errors.js";
import { emptyStats, type Coverage, type EventSource, type QueryAnswer, type SourceProblem, type SourceStats } from "../event-source.js";
import { recordOfLakeRow } from "./lake-row-record.js";
import { planLakeStatements } from "./lake-statement.js";
import { isEventDataStoreId } from "./lake-uri.js";
import { runLakeQuery } from "./run-lake-query.js";
import { createProblemLog } from "../problem-log.js";

export { parseLakeUri } from "./lake-uri.js";

export interface LakeSourceOptions {
  /** A client in the store's region, with credentials allowed cloudtrail:StartQuery/DescribeQuery/GetQueryResults/CancelQuery. */
  client: CloudTrailClient;
  /** The store's owner account, when querying another account's store as a delegated administrator. */
  ownerAccountId?: string;
  onProblem?: (problem: SourceProblem) => void;
  /** First wait between DescribeQuery polls (default 500 ms), doubled up to maxPollIntervalMs (default 5 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Stop waiting (and CancelQuery) after this long; default 15 minutes. */
  maxWaitMs?: number;
  /** MaxQueryResults per GetQueryResults page, 1–1000 (default 1000). */
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LakeSourceStats extends SourceStats {
  /** StartQuery calls (also unitsRead). */
  queriesRun: number;
  /** Sum of QueryStatistics.BytesScanned: what Lake bills (also bytesRead). */
  bytesScanned: number;
  queryIds: string[];
  /** EventQueries refused before reaching SQL (invalid value, no time range). */
  queriesRefused: number;
}

export interface LakeEventSource extends EventSource {
  stats(): LakeSourceStats;
}

const DEFAULT_POLL_MS = 500;
const DEFAULT_MAX_POLL_MS = 5000;
const DEFAULT_MAX_WAIT_MS = 15 * 60_000;
const MAX_PAGE_SIZE = 1000;

/**
 * An EventSource over a CloudTrail Lake event data store. Each batch of queries becomes one SELECT
 * (see planLakeStatements; more only past StartQuery's 10 000-character limit), run with StartQuery
 * and read back with GetQueryResults; rows are rebuilt into CloudTrail records and re-matched per
 * query with matchesEventQuery, so the answers are exactly the reference semantics. A query with a
 * value that fails validation, or without a time range, is refused as a problem and never sent.
 */
export function createLakeSource(eventDataStore: string, options: LakeSourceOptions): LakeEventSource {
  if (!isEventDataStoreId(eventDataStore)) throw new Error(`not an event data store id: ${JSON.stringify(eventDataStore)}`);
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be 1–${MAX_PAGE_SIZE}, got ${pageSize}`);
  const label = `lake://${eventDataStore}`;
  const runOptions = {
    ...(options.ownerAccountId ? { ownerAccountId: options.ownerAccountId } : {}),
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_MS,
    maxPollIntervalMs: Math.max(options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_MS, options.pollIntervalMs ?? DEFAULT_POLL_MS),
    maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    pageSize,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  const stats: LakeSourceStats = { ...emptyStats(), queriesRun: 0, bytesScanned: 0, queryIds: [], queriesRefused: 0 };

  const problemLog = createProblemLog(options.onProblem);
  const report = (reason: string, effect: SourceProblem["effect"]): void => problemLog.report({ location: label, reason, effect });

  const location = (event: Record<string, unknown>) => ({
    origin: label,
    accountId: typeof event.recipientAccountId === "string" ? event.recipientAccountId : null,
    region: typeof event.awsRegion === "string" ? event.awsRegion : null,
  });

  /** Runs one statement; null when it failed (already reported). */
  const run = async (sql: string): Promise<CloudTrailEvent[] | null> => {
    stats.queriesRun++;
    stats.unitsRead++;
    try {
      const result = await runLakeQuery(options.client, sql, { ...runOptions, onStarted: (id) => stats.queryIds.push(id) });
      stats.bytesScanned += result.bytesScanned;
      stats.bytesRead += result.bytesScanned;
      stats.recordsScanned += result.eventsScanned || result.rows.length;
      const events: CloudTrailEvent[] = [];
      for (const row of result.rows) {
        const record = recordOfLakeRow(row);
        const normalized = normalizeRecord(record, location(record));
        if (normalized.ok) events.push(normalized.event);
        else report(`query ${result.queryId}: ${normalized.reason}`, "partial");
      }
      return events;
    } catch (error) {
      report(`Lake query failed: ${describeLookupError(error)}`, "skipped");
      return null;
    }
  };

  return {
    label,
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      stats.queries += queries.length;
      const answers: QueryAnswer[] = queries.map(() => ({ events: [], coverage: nothingSearched() }));
      const plan = planLakeStatements(eventDataStore, queries);
      for (const refusal of plan.refused) {
        stats.queriesRefused++;
        report(refusal.reason, "skipped");
      }
      for (const statement of plan.statements) {
        const events = await run(statement.sql);
        if (events === null) continue;
        for (const index of statement.queryIndexes) {
          const query = queries[index]!;
          answers[index] = { events: matchingOnce(events, query), coverage: coverageOf(query, events) };
        }
      }
      return answers;
    },
    problems: problemLog.problems,
    stats: () => ({ ...stats, queryIds: stats.queryIds.slice() }),
  };
}

function matchingOnce(events: readonly CloudTrailEvent[], query: EventQuery): CloudTrailEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventID) && matchesEventQuery(e, query) && (seen.add(e.eventID), true));
}

/**
 * What a Lake query searched: the whole store over the query's window. The store's account and
 * region list is not known without another (billed) query, so coverage names the accounts asked
 * for (else those the statement's rows came from) and the regions its rows came from.
 */
function coverageOf(query: EventQuery, statementEvents: readonly CloudTrailEvent[]): Coverage {
  const seenAccounts = statementEvents.map((e) => e.recipientAccountId).filter((a): a is string => a !== null);
  const regions = statementEvents.map((e) => e.awsRegion).filter((r): r is string => r !== null);
  return {
    accounts: [...new Set(query.accountIds ?? seenAccounts)].sort(),
    regions: [...new Set(regions)].sort(),
    earliestEventTime: query.timeRange ? formatIsoSeconds(query.timeRange.startMs) : null,
    latestEventTime: query.timeRange ? formatIsoSeconds(query.timeRange.endMs) : null,
  };
}

function nothingSearched(): Coverage {
  return { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null };
}
