import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudTrailEvent } from "../../core/cloudtrail-event.js";
import { formatIsoSeconds } from "../../core/cloudtrail-time.js";
import { matchesEventQuery, type EventQuery, type TimeRange } from "../../core/event-query.js";
import { emptyStats, type EventSource, type QueryAnswer, type SourceProblem, type SourceStats } from "../event-source.js";
import { recordOfLookupEvent } from "./lookup-event-record.js";
import { describeLookupError, isRegionNotEnabledError } from "./lookup-errors.js";
import { EVENT_HISTORY_DAYS, planLookups, type LookupCall } from "./lookup-plan.js";
import { readLookupPages } from "./read-lookup-pages.js";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./throttle-backoff.js";
import { KeyedRateLimiter } from "./token-bucket.js";
import { createProblemLog } from "../problem-log.js";

export interface CloudTrailAccounts {
  /** Accounts searched when a query names none. */
  defaultAccounts(): Promise<string[]>;
  /** A client for reading this account's event history in this region, or why it can't be reached. */
  client(accountId: string, region: string): Promise<{ ok: true; client: CloudTrailClient } | { ok: false; reason: string }>;
}

export interface LookupEventsSourceOptions {
  accounts: CloudTrailAccounts;
  /** Regions to search (given by the user, or DEFAULT_LOOKUP_REGIONS). */
  regions: readonly string[];
  /** Per account per region. Default 2, the API's documented limit. */
  requestsPerSecond?: number;
  /** Called once per problem as it is found. */
  onProblem?: (problem: SourceProblem) => void;
  /** Wall-clock ms, for the 90-day horizon. Default Date.now. */
  now?: () => number;
  /** Monotonic ms for the rate limiter. Default performance.now. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Backoff on throttling; default DEFAULT_BACKOFF. */
  backoff?: Partial<BackoffPolicy>;
  /** For the backoff jitter. Default Math.random. */
  random?: () => number;
}

export interface LookupEventsSourceStats extends SourceStats {
  /** LookupEvents requests sent, throttled ones included (also unitsRead). */
  apiCalls: number;
  /** Requests answered with a throttling error (each was retried after a backoff, up to the limit). */
  throttledCalls: number;
  /** Planned calls run in one account and region, each one page or more. */
  lookups: number;
  maxPagesPerLookup: number;
  /** Requests per lookup attribute ("EventName", "EventSource", …; "none" for time-range-only calls). */
  requestsByAttribute: Record<string, number>;
  /** Account+region pairs found not enabled (UnrecognizedClientException) and dropped for the run. */
  regionsNotEnabled: number;
}

export interface LookupEventsSource extends EventSource {
  stats(): LookupEventsSourceStats;
}

export const DEFAULT_REQUESTS_PER_SECOND = 2;
/**
 * The limiter aims a little under the configured rate: the server counts requests as they arrive,
 * and a few ms of network jitter would otherwise put three requests into one of its seconds.
 */
const RATE_HEADROOM = 0.9;

const LABELLED_REGIONS = 6;

interface RegionSearch { searched: boolean; events: CloudTrailEvent[] }

/**
 * An EventSource over CloudTrail's event history (LookupEvents): the last 90 days of management
 * events, per account and region. Each query becomes the fewest lookups its most selective attribute
 * allows (see planLookups), run in every account it names (else the default accounts) and every
 * region, regions in parallel, each account+region paced by its own token bucket. Returned events
 * are filtered with matchesEventQuery. Unreachable accounts and failing regions are problems and
 * are left out of the answer's coverage, so a trace reports them as gaps instead of failing.
 */
export function createLookupEventsSource(options: LookupEventsSourceOptions): LookupEventsSource {
  const now = options.now ?? Date.now;
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const stats: LookupEventsSourceStats = {
    ...emptyStats(), apiCalls: 0, throttledCalls: 0, lookups: 0, maxPagesPerLookup: 0, requestsByAttribute: {}, regionsNotEnabled: 0,
  };
  const limiter = new KeyedRateLimiter((options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND) * RATE_HEADROOM, clock, sleep);
  const retryHooks = {
    policy: { ...DEFAULT_BACKOFF, ...options.backoff },
    sleep,
    random: options.random ?? Math.random,
    onThrottled: () => { stats.throttledCalls++; },
  };
  const regions = [...new Set(options.regions)];

  const problemLog = createProblemLog(options.onProblem);
  const report = problemLog.report;

  let defaultAccounts: Promise<string[]> | null = null;
  const accountsToSearch = (query: EventQuery): Promise<string[]> => {
    if (query.accountIds) return Promise.resolve([...new Set(query.accountIds)]);
    defaultAccounts ??= options.accounts.defaultAccounts().catch((error: unknown) => {
      report({ location: "cloudtrail", reason: `cannot list the accounts to search: ${describeLookupError(error)}`, effect: "skipped" });
      return [];
    });
    return defaultAccounts;
  };

  const clients = new Map<string, ReturnType<CloudTrailAccounts["client"]>>();
  const clientFor = (accountId: string, region: string): ReturnType<CloudTrailAccounts["client"]> => {
    const key = `${accountId}/${region}`;
    let client = clients.get(key);
    if (!client) {
      client = options.accounts.client(accountId, region)
        .catch((error: unknown) => ({ ok: false as const, reason: describeLookupError(error) }));
      clients.set(key, client);
    }
    return client;
  };

  const notEnabled = new Set<string>();
  const markNotEnabled = (accountId: string, region: string, error: unknown): void => {
    const key = `${accountId}/${region}`;
    if (notEnabled.has(key)) return;
    notEnabled.add(key);
    stats.regionsNotEnabled++;
    // One region refusing is an opt-in region left off; every region refusing means bad credentials.
    if (regions.every((r) => notEnabled.has(`${accountId}/${r}`))) {
      report({
        location: `cloudtrail:${accountId}`,
        reason: `account ${accountId}: no region accepted the credentials (${describeLookupError(error)})`,
        effect: "skipped",
      });
    }
  };

  const searchRegion = async (accountId: string, region: string, calls: readonly LookupCall[]): Promise<RegionSearch> => {
    const key = `${accountId}/${region}`;
    if (notEnabled.has(key)) return { searched: false, events: [] };
    const access = await clientFor(accountId, region);
    if (!access.ok) {
      report({ location: `cloudtrail:${accountId}`, reason: access.reason.includes(accountId) ? access.reason : `account ${accountId}: ${access.reason}`, effect: "skipped" });
      return { searched: false, events: [] };
    }
    const location = { origin: `cloudtrail:${accountId}:${region}`, accountId, region };
    const events: CloudTrailEvent[] = [];
    for (const call of calls) {
      const attribute = call.attribute?.key ?? "none";
      let result;
      try {
        result = await readLookupPages(access.client, call, {
          beforeRequest: () => limiter.take(key),
          onRequest: () => {
            stats.apiCalls++;
            stats.unitsRead++;
            stats.requestsByAttribute[attribute] = (stats.requestsByAttribute[attribute] ?? 0) + 1;
          },
          retry: retryHooks,
        });
      } catch (error) {
        if (isRegionNotEnabledError(error)) {
          markNotEnabled(accountId, region, error);
        } else {
          report({ location: location.origin, reason: `account ${accountId} in ${region}: ${describeLookupError(error)}`, effect: "skipped" });
        }
        // What earlier calls found is still true; the region just does not count as searched.
        return { searched: false, events };
      }
      stats.lookups++;
      stats.maxPagesPerLookup = Math.max(stats.maxPagesPerLookup, result.pages);
      for (const found of result.events) {
        stats.recordsScanned++;
        stats.bytesRead += found.CloudTrailEvent?.length ?? 0;
        const parsed = recordOfLookupEvent(found, location);
        if (parsed.ok) events.push(parsed.event);
        else report({ location: location.origin, reason: parsed.reason, effect: "partial" });
      }
    }
    return { searched: true, events };
  };

  const answer = async (query: EventQuery): Promise<QueryAnswer> => {
    const plan = planLookups(query, now());
    if (plan.kind === "refused") {
      report({ location: "cloudtrail", reason: plan.reason, effect: "skipped" });
      return emptyAnswer();
    }
    if (plan.kind === "outside-history") {
      if (query.timeRange && query.timeRange.startMs <= now()) report(historyProblem());
      return emptyAnswer();
    }
    if (plan.clippedByHistory) report(historyProblem());
    if (plan.calls.length === 0) return emptyAnswer();

    const accounts = await accountsToSearch(query);
    const searches = await Promise.all(accounts.map((accountId) => Promise.all(
      regions.map(async (region) => ({ accountId, region, ...await searchRegion(accountId, region, plan.calls) })),
    )));
    const seen = new Set<string>();
    const events: CloudTrailEvent[] = [];
    const searchedAccounts = new Set<string>();
    const searchedRegions = new Set<string>();
    for (const search of searches.flat()) {
      if (search.searched) {
        searchedAccounts.add(search.accountId);
        searchedRegions.add(search.region);
      }
      for (const event of search.events) {
        if (seen.has(event.eventID) || !matchesEventQuery(event, query)) continue;
        seen.add(event.eventID);
        events.push(event);
      }
    }
    return { events, coverage: coverageOf(searchedAccounts, searchedRegions, plan.window) };
  };

  const historyProblem = (): SourceProblem => ({
    location: "cloudtrail",
    reason: `event history keeps only the last ${EVENT_HISTORY_DAYS} days; the parts of searches older than that could not be searched`,
    effect: "partial",
  });

  return {
    label: labelFor(regions),
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      stats.queries += queries.length;
      return Promise.all(queries.map(answer));
    },
    problems: problemLog.problems,
    stats: () => ({ ...stats, requestsByAttribute: { ...stats.requestsByAttribute } }),
  };
}

/**
 * The span searched is the lookup window itself, not the span of the events returned: a lookup that
 * found nothing still proves the history held no match in that window, and a gap should say so.
 */
function coverageOf(accounts: ReadonlySet<string>, regions: ReadonlySet<string>, window: TimeRange): QueryAnswer["coverage"] {
  const searchedAnything = accounts.size > 0;
  return {
    accounts: [...accounts].sort(),
    regions: [...regions].sort(),
    earliestEventTime: searchedAnything ? formatIsoSeconds(window.startMs) : null,
    latestEventTime: searchedAnything ? formatIsoSeconds(window.endMs) : null,
  };
}

/** "cloudtrail: us-east-1, eu-west-1"; a long list (the default: every region) only by its size. */
function labelFor(regions: readonly string[]): string {
  return regions.length <= LABELLED_REGIONS ? `cloudtrail: ${regions.join(", ")}` : `cloudtrail: ${regions.length} regions`;
}

function emptyAnswer(): QueryAnswer {
  return { events: [], coverage: { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null } };
}
