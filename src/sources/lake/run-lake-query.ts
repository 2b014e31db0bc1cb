import {
  CancelQueryCommand, DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand, type CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import { pollWithBackoff } from "../poll-with-backoff.js";
import type { LakeResultRow } from "./lake-row-record.js";

export interface LakeQueryOptions {
  /** The store's owner, when it is not the caller's account (facts §8: EventDataStoreOwnerAccountId). */
  ownerAccountId?: string;
  /** First wait between status polls; doubled each time up to maxPollIntervalMs. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** Give up (and CancelQuery) after this long; Lake itself times out after about an hour. */
  maxWaitMs: number;
  /** MaxQueryResults per GetQueryResults page, 1–1000. */
  pageSize: number;
  sleep: (ms: number) => Promise<void>;
  /** Called once the query id is known, before polling (for stats). */
  onStarted?: (queryId: string) => void;
}

export interface LakeQueryResult {
  queryId: string;
  rows: LakeResultRow[];
  bytesScanned: number;
  eventsScanned: number;
}

/** A query Lake ran and did not finish (FAILED, CANCELLED, TIMED_OUT), or one we stopped waiting for. */
export class LakeQueryFailedError extends Error {
  override readonly name = "LakeQueryFailedError";
}

/**
 * StartQuery, DescribeQuery until the status is final (backing off), then every GetQueryResults page.
 * Rows are only read once FINISHED: a running query's pages are partial.
 */
export async function runLakeQuery(client: CloudTrailClient, statement: string, options: LakeQueryOptions): Promise<LakeQueryResult> {
  const owner = options.ownerAccountId ? { EventDataStoreOwnerAccountId: options.ownerAccountId } : {};
  const started = await client.send(new StartQueryCommand({ QueryStatement: statement, ...owner }));
  const queryId = started.QueryId;
  if (!queryId) throw new LakeQueryFailedError("StartQuery returned no QueryId");
  options.onStarted?.(queryId);

  let bytesScanned = 0;
  let eventsScanned = 0;
  let lastStatus: string | undefined;
  const policy = { initialIntervalMs: options.pollIntervalMs, maxIntervalMs: options.maxPollIntervalMs, timeoutMs: options.maxWaitMs };
  const outcome = await pollWithBackoff(async () => {
    const described = await client.send(new DescribeQueryCommand({ QueryId: queryId, ...owner }));
    bytesScanned = described.QueryStatistics?.BytesScanned ?? bytesScanned;
    eventsScanned = described.QueryStatistics?.EventsScanned ?? eventsScanned;
    const status = described.QueryStatus;
    if (status === "FINISHED") return true;
    if (status === "FAILED" || status === "CANCELLED" || status === "TIMED_OUT") {
      const why = described.ErrorMessage ? `: ${oneLine(described.ErrorMessage)}` : "";
      throw new LakeQueryFailedError(`query ${queryId} ${status}${why}`);
    }
    lastStatus = status;
    return undefined;
  }, policy, options.sleep);
  if (!outcome.settled) {
    await client.send(new CancelQueryCommand({ QueryId: queryId, ...owner })).catch(() => undefined);
    throw new LakeQueryFailedError(`query ${queryId} still ${lastStatus ?? "pending"} after ${Math.round(outcome.waitedMs / 1000)} s; cancelled`);
  }

  const rows: LakeResultRow[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetQueryResultsCommand({
      QueryId: queryId, MaxQueryResults: options.pageSize, ...(nextToken ? { NextToken: nextToken } : {}), ...owner,
    }));
    if (page.QueryStatus && page.QueryStatus !== "FINISHED") {
      throw new LakeQueryFailedError(`query ${queryId} is ${page.QueryStatus} while its results were read${page.ErrorMessage ? `: ${oneLine(page.ErrorMessage)}` : ""}`);
    }
    rows.push(...(page.QueryResultRows ?? []));
    bytesScanned = Math.max(bytesScanned, page.QueryStatistics?.BytesScanned ?? 0);
    nextToken = page.NextToken;
  } while (nextToken);
  return { queryId, rows, bytesScanned, eventsScanned };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
