import type { CloudTrailEvent } from "../core/cloudtrail-event.js";
import { parseCloudTrailTime } from "../core/cloudtrail-time.js";
import { SWEEP_EVENT_NAMES, type DetectedFinding } from "../core/sweep/detect-findings.js";
import { createFindingDetector, type FindingDetector } from "../core/sweep/finding-detector.js";
import { traceRoleChain } from "../core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../core/trace/trace-options.js";
import type { Finding, TraceSummary } from "../schema/finding.js";
import type { SweepConfig } from "../schema/sweep-config.js";
import type { SweepSummary, SweepWindowRef } from "../schema/sweep-report.js";
import type { TraceReport } from "../schema/trace-report.js";
import { visitMatches, type EventSource, type SourceProblem } from "../sources/event-source.js";
import { matchesEventQuery, roleNameOfArn, type EventQuery, type TimeRange } from "../core/event-query.js";
import { ASSUME_ROLE_EVENT_NAMES } from "../core/issuing-events.js";
import { stringField } from "../core/json-value.js";
import { changedRole, RoleArnBook, type KnownRoleArns } from "../core/sweep/role-arns.js";
import { wasReported } from "./sweep-state.js";

/** Makes the detection for a run; `runSweep` takes it as a parameter so tests can pass their own. */
export type Detector = (config: SweepConfig) => FindingDetector;

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
 * One sweep over one window: a single query for the swept event names, each event (once by eventID)
 * handed to the detector as it is read, a trace summary per finding that names a caller event, then
 * drop what the state says was already reported. No output, no state: the command does both. Give
 * it a fresh source: summary.eventsScanned is the source's records-scanned count right after the
 * sweep's query.
 */
export async function runSweep(source: EventSource, options: SweepRunOptions, detector: Detector = createFindingDetector): Promise<SweepResult> {
  const { window } = options;
  const detection = detector(options.config);
  const candidates = await feedCandidates(source, { startMs: window.startMs, endMs: window.endMs }, detection);
  // Read before the traces query further: the records the source examined for the sweep itself.
  const eventsScanned = source.stats().recordsScanned;

  const detected = dedupeById(detection.findings(candidates.knownRoles));
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
      candidateEvents: candidates.count,
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

interface Candidates {
  /** Distinct events (by eventID) the detection examined: summary.candidateEvents. */
  count: number;
  /** Every role path the window's calls showed. */
  knownRoles: KnownRoleArns;
}

/**
 * What the detection needs from the window, asked so that a SQL engine returns little: role
 * assumptions across accounts (same-account ones, the bulk of all AssumeRole traffic, cannot break a
 * rule), every web-identity assumption and trust-policy change, and then, for roles whose trust
 * policy changed and whose IAM path no call found so far showed, every assumption of those roles:
 * only they show the path UpdateAssumeRolePolicy leaves out. A second query would read the window
 * again, so it is made only when some path is still unknown, and not at all for sources that reread
 * the window per batch (eachBatchRereads): they are asked for every assumption in the first batch.
 * Each candidate goes to the detection as it is read, once. What is kept here is every eventID seen
 * (to count each once), the role paths, and of the other assumptions a count per role name.
 */
async function feedCandidates(source: EventSource, timeRange: TimeRange, detection: FindingDetector): Promise<Candidates> {
  const crossAccount: EventQuery = { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange };
  const others: EventQuery = { eventNames: SWEEP_EVENT_NAMES.filter((name) => name !== "AssumeRole"), timeRange };
  const assumptions: EventQuery = { eventNames: [...ASSUME_ROLE_EVENT_NAMES], timeRange };
  const seen = new Set<string>();
  const roles = new RoleArnBook();
  const rolesShownByCandidates = new RoleArnBook();
  const policyChanges: CloudTrailEvent[] = [];
  /** Assumptions that are no candidate (inside one account), per lower-case role name. */
  const otherAssumptions = new Map<string, number>();
  let count = 0;

  /** `asCandidate`: found by the candidates' queries; else by a query for assumptions, which may be candidates all the same. */
  const take = (event: CloudTrailEvent, asCandidate: boolean): void => {
    if (seen.has(event.eventID)) return; // one record in two files, or one event matching two queries
    seen.add(event.eventID);
    roles.remember(event);
    if (!asCandidate && event.eventName === "AssumeRole" && !matchesEventQuery(event, crossAccount)) {
      const roleName = roleNameOfArn(stringField(event.requestParameters, "roleArn"));
      if (roleName !== null) otherAssumptions.set(roleName, (otherAssumptions.get(roleName) ?? 0) + 1);
      return;
    }
    count++;
    rolesShownByCandidates.remember(event);
    if (event.eventName === "UpdateAssumeRolePolicy" && event.errorCode === null) policyChanges.push(event);
    detection.add(event);
  };

  // A source that reads the whole window for every batch is asked for every assumption at once:
  // counting the window's same-account ones costs less than reading the window twice.
  const allAssumptionsNow = source.eachBatchRereads === true;
  await visitMatches(source, [crossAccount, others, ...(allAssumptionsNow ? [assumptions] : [])], (event, i) => take(event, i < 2));
  const changedRoleNames = [...new Set(policyChanges
    .filter((e) => changedRole(e, rolesShownByCandidates.known).role?.pathKnown !== true)
    .map((e) => stringField(e.requestParameters, "roleName"))
    .filter((name): name is string => name !== null))];
  if (changedRoleNames.length > 0 && !allAssumptionsNow) {
    await visitMatches(source, [{ ...assumptions, roleNames: changedRoleNames }], (event) => take(event, false));
  }
  // The assumptions of the changed roles count as examined, as those of a second query would.
  for (const name of new Set(changedRoleNames.map((n) => n.toLowerCase()))) count += otherAssumptions.get(name) ?? 0;
  return { count, knownRoles: roles.known };
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
