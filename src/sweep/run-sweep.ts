import type { CloudTrailEvent } from "../core/cloudtrail-event.js";
import { parseCloudTrailTime } from "../core/cloudtrail-time.js";
import { detectFindings, SWEEP_EVENT_NAMES, type DetectedFinding } from "../core/sweep/detect-findings.js";
import { traceRoleChain } from "../core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../core/trace/trace-options.js";
import type { Finding, TraceSummary } from "../schema/finding.js";
import type { SweepConfig } from "../schema/sweep-config.js";
import type { SweepSummary, SweepWindowRef } from "../schema/sweep-report.js";
import type { TraceReport } from "../schema/trace-report.js";
import type { EventSource, SourceProblem } from "../sources/event-source.js";
import { matchesEventQuery, type EventQuery, type TimeRange } from "../core/event-query.js";
import { ASSUME_ROLE_EVENT_NAMES } from "../core/issuing-events.js";
import { stringField } from "../core/json-value.js";
import { changedRole, knownRoleArns } from "../core/sweep/role-arns.js";
import { wasReported } from "./sweep-state.js";

/** The detection core's signature; `runSweep` takes it as a parameter so tests can pass their own. */
export type Detector = (events: readonly CloudTrailEvent[], config: SweepConfig) => DetectedFinding[];

export interface SweepRunOptions {
  config: SweepConfig;
  window: SweepWindowRef & { startMs: number; endMs: number };
  /** Keys of findings a previous run reported (the state file's, see reportKeys); not returned again. */
  alreadyReported?: ReadonlySet<string>;
  /** Rebuild the chain behind each caller (default true). */
  trace?: boolean;
  lookbackMs?: number;
  maxHops?: number;
}

export interface SweepResult {
  window: SweepWindowRef;
  summary: SweepSummary;
  /** New findings, ordered by eventTime then id. */
  findings: Finding[];
  /** Files the source skipped or read only in part (also counted in summary.skippedFiles). */
  skipped: SourceProblem[];
}

/**
 * One sweep over one window: a single query for the swept event names, dedupe by eventID, the
 * detector, a trace summary per finding that names a caller event, then drop what the state says
 * was already reported. No output, no state: the command does both. Give it a fresh source:
 * summary.eventsScanned is the source's records-scanned count right after the sweep's query.
 */
export async function runSweep(source: EventSource, options: SweepRunOptions, detect: Detector = detectFindings): Promise<SweepResult> {
  const { window } = options;
  const events = await sweepEvents(source, { startMs: window.startMs, endMs: window.endMs });
  // Read before the traces query further: the records the source examined for the sweep itself.
  const eventsScanned = source.stats().recordsScanned;

  const detected = dedupeById(detect(events, options.config));
  const alreadyReported = options.alreadyReported ?? new Set<string>();
  const fresh = detected.filter((d) => !wasReported(d.finding, alreadyReported));

  const findings: Finding[] = [];
  for (const { finding, traceFromEventId } of fresh) {
    if (options.trace === false || traceFromEventId === null) {
      findings.push(finding);
      continue;
    }
    const report = await traceRoleChain(source, {
      eventId: traceFromEventId,
      atMs: parseCloudTrailTime(finding.eventTime),
      lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
      maxHops: options.maxHops ?? DEFAULT_MAX_HOPS,
    });
    findings.push({ ...finding, trace: summarizeTrace(report) });
  }
  findings.sort(byTimeThenId);

  const skipped = source.problems().slice();
  return {
    window: { from: window.from, to: window.to },
    summary: {
      eventsScanned,
      candidateEvents: events.length,
      findings: detected.length,
      newFindings: findings.length,
      suppressedAsAlreadyReported: detected.length - fresh.length,
      skippedFiles: skipped.length,
    },
    findings,
    skipped,
  };
}

export function summarizeTrace(report: TraceReport): TraceSummary {
  return {
    complete: report.complete,
    hops: report.hops.length,
    origin: report.origin,
    gaps: report.gaps.map((g) => g.reason),
  };
}

/**
 * What the detection needs from the window, asked so that a SQL engine returns little: role
 * assumptions across accounts (same-account ones, the bulk of all AssumeRole traffic, cannot break a
 * rule), every web-identity assumption and trust-policy change, and then, for roles whose trust
 * policy changed and whose IAM path no call found so far showed, every assumption of those roles:
 * only they show the path UpdateAssumeRolePolicy leaves out. A second query would read the window
 * again, so it is made only when some path is still unknown, and not at all for sources that reread
 * the window per batch (eachBatchRereads): they are asked for every assumption in the first batch.
 */
async function sweepEvents(source: EventSource, timeRange: TimeRange): Promise<CloudTrailEvent[]> {
  const assumptions: EventQuery = { eventNames: [...ASSUME_ROLE_EVENT_NAMES], timeRange };
  // A source that reads the whole window for every batch is asked for every assumption at once:
  // holding the window's same-account ones costs less than reading the window twice.
  const allAssumptionsNow = source.eachBatchRereads === true;
  const answers = await source.query([
    { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange },
    { eventNames: SWEEP_EVENT_NAMES.filter((name) => name !== "AssumeRole"), timeRange },
    ...(allAssumptionsNow ? [assumptions] : []),
  ]);
  const found = answers.slice(0, 2).flatMap((answer) => answer.events);
  const shown = knownRoleArns(found);
  const changedRoleNames = [...new Set(found
    .filter((e) => e.eventName === "UpdateAssumeRolePolicy" && e.errorCode === null)
    .filter((e) => changedRole(e, shown).role?.pathKnown !== true)
    .map((e) => stringField(e.requestParameters, "roleName"))
    .filter((name): name is string => name !== null))];
  if (changedRoleNames.length > 0) {
    const ofChangedRoles: EventQuery = { ...assumptions, roleNames: changedRoleNames };
    if (allAssumptionsNow) {
      found.push(...(answers[2]?.events ?? []).filter((event) => matchesEventQuery(event, ofChangedRoles)));
    } else {
      const [answer] = await source.query([ofChangedRoles]);
      found.push(...(answer?.events ?? []));
    }
  }
  return dedupeByEventId(found);
}

/** Sources may return one record twice (copies in two files); the first copy is kept. */
function dedupeByEventId(events: readonly CloudTrailEvent[]): CloudTrailEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.eventID) ? false : (seen.add(e.eventID), true)));
}

function dedupeById(detected: readonly DetectedFinding[]): DetectedFinding[] {
  const seen = new Set<string>();
  return detected.filter((d) => (seen.has(d.finding.id) ? false : (seen.add(d.finding.id), true)));
}

function byTimeThenId(a: Finding, b: Finding): number {
  const ta = parseCloudTrailTime(a.eventTime) ?? Number.MAX_SAFE_INTEGER;
  const tb = parseCloudTrailTime(b.eventTime) ?? Number.MAX_SAFE_INTEGER;
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
