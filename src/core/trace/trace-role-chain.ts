import type { CloudTrailEvent, UserIdentity } from "../cloudtrail-event.js";
import type { EventQuery, TimeRange } from "../event-query.js";
import { formatIsoSeconds, toWholeSecond } from "../cloudtrail-time.js";
import { toEventRef } from "../event-ref.js";
import {
  ASSUME_ROLE_EVENT_NAMES, FEDERATION_TOKEN_EVENT_NAME, SWITCH_ROLE_EVENT_NAME, arnAccountId,
} from "../issuing-events.js";
import {
  principalFromArn, principalFromIdentity, sessionPrincipal, switchFromArn,
} from "../principal.js";
import type { EventSource, QueryAnswer } from "../../sources/event-source.js";
import type {
  Fallback, Gap, GapReason, Hop, Origin, Principal, Searched, TraceReport,
} from "../../schema/trace-report.js";
import {
  groupIntoCalls, selectAtCreationDate, selectLatestBefore, type IssuerSelection, type IssuingCall,
} from "./issuing-call.js";
import { AT_HINT_TOLERANCE_MS, FEDERATION_LOOKBACK_MS, type TraceOptions } from "./trace-options.js";

/** A principal that made a call, and that call: the starting point of each step backwards. */
interface Step {
  identity: UserIdentity;
  /** The call this identity made (the subject, or an issuing call made by a session). */
  call: CloudTrailEvent;
  /**
   * The identity is a console session: it signs with keys of its own, never the key its issuing
   * call returned (facts §2.9). Known from sessionCredentialFromConsole, or because the call it
   * made was a console role switch (a SwitchRole accompanied it).
   */
  consoleSession: boolean;
}

/**
 * One step back. A hop can come with a gap (the caller account's copy is missing: the hop is proven,
 * its caller is known only as an account) or a gap can come alone (no issuing call found).
 */
interface HopOutcome {
  hop: Hop | null;
  gap: Gap | null;
  /** The session that made the issuing call, when the chain goes on. */
  next: Step | null;
  /** The call that shows where the caller was (caller copy, SwitchRole, or the issuing call). */
  originEvent: CloudTrailEvent | null;
}

const SESSION_TYPES = new Set(["AssumedRole", "FederatedUser"]);

/**
 * Rebuilds the chain of credentials behind one CloudTrail event: from the subject's session back
 * through each AssumeRole* (or GetFederationToken) to the principal that started it. Pure over the
 * source: every fact comes from a query answer, and a link the logs do not prove is reported as a
 * gap, never guessed.
 */
export async function traceRoleChain(
  source: EventSource, options: TraceOptions, now: () => number = Date.now,
): Promise<TraceReport> {
  const startedAt = now();
  const gaps: Gap[] = [];
  const hops: Hop[] = [];
  let origin: Origin | null = null;

  const { subject, searched } = await findSubject(source, options);
  if (!subject) {
    gaps.push(gap("subject-not-found", `No event with eventID ${options.eventId} in the sources.`, null, searched));
  } else if (!subject.userIdentity) {
    gaps.push(gap("identity-missing", `The subject event ${subject.eventID} has no userIdentity.`, null, null));
  } else {
    let step: Step = { identity: subject.userIdentity, call: subject, consoleSession: subject.sessionCredentialFromConsole };
    let originEvent: CloudTrailEvent = subject;
    const visited = new Set<string>();
    for (;;) {
      if (!SESSION_TYPES.has(step.identity.type ?? "")) {
        origin = toOrigin(principalFromIdentity(step.identity, hops.length ? step.call : null), originEvent, hops);
        if (step.identity.type === null || step.identity.type === "Unknown") {
          gaps.push(gap("origin-unknown", `CloudTrail does not say what kind of principal made ${step.call.eventID}.`, hops.length, null));
        }
        break;
      }
      const sessionKey = `${step.identity.arn}|${step.identity.accessKeyId}|${step.identity.creationDate}`;
      if (visited.has(sessionKey)) {
        gaps.push(gap("loop-detected", `Session ${step.identity.arn} appears twice in its own chain; stopped.`, hops.length, null));
        break;
      }
      if (hops.length >= options.maxHops) {
        gaps.push(gap("depth-limit", `Stopped after ${options.maxHops} hops.`, hops.length, null));
        break;
      }
      visited.add(sessionKey);
      const outcome = await resolveHop(source, step, hops.length, options);
      if (outcome.gap) gaps.push(outcome.gap);
      if (outcome.hop) {
        hops.push(outcome.hop);
        originEvent = outcome.originEvent ?? originEvent;
      }
      if (outcome.next && !outcome.gap) {
        step = outcome.next;
        continue;
      }
      // A caller known only as an account (its logs are absent) is still where the chain starts.
      if (outcome.hop) origin = toOrigin(outcome.hop.caller, originEvent, hops);
      break;
    }
  }

  const stats = source.stats();
  return {
    schema: "rolechain.trace/v1",
    sources: [source.label],
    subject: subject ? toEventRef(subject) : null,
    hops,
    origin,
    complete: gaps.length === 0 && subject !== null,
    gaps,
    skipped: source.problems().map((p) => ({ location: p.location, reason: p.reason, effect: p.effect })),
    stats: {
      durationMs: now() - startedAt,
      queries: stats.queries,
      filesRead: stats.unitsRead,
      filesPruned: stats.unitsPruned,
      bytesRead: stats.bytesRead,
      recordsScanned: stats.recordsScanned,
    },
  };
}

async function findSubject(source: EventSource, options: TraceOptions): Promise<{ subject: CloudTrailEvent | null; searched: Searched }> {
  const byId: EventQuery = { eventIds: [options.eventId] };
  if (options.atMs !== undefined && options.atMs !== null) {
    const hinted = { ...byId, timeRange: { startMs: options.atMs - AT_HINT_TOLERANCE_MS, endMs: options.atMs + AT_HINT_TOLERANCE_MS } };
    const [answer] = await source.query([hinted]);
    const found = answer?.events[0];
    if (found) return { subject: found, searched: searchedFor(hinted, answer) };
  }
  const [answer] = await source.query([byId]);
  return { subject: answer?.events[0] ?? null, searched: searchedFor(byId, answer) };
}

async function resolveHop(source: EventSource, step: Step, hopIndex: number, options: TraceOptions): Promise<HopOutcome> {
  const session = step.identity;
  if (!session.arn) {
    return gapOnly(gap("identity-missing", `The ${session.type} session that made ${step.call.eventID} has no ARN to search for.`, hopIndex, null));
  }
  const roleAccountId = arnAccountId(session.arn) ?? session.accountId;
  const isFederation = session.type === "FederatedUser";
  const eventNames = isFederation ? [FEDERATION_TOKEN_EVENT_NAME] : [...ASSUME_ROLE_EVENT_NAMES];

  const found = session.creationTimeMs !== null
    ? await findAtCreationDate(source, step, session.creationTimeMs, roleAccountId, eventNames, !isFederation)
    : await findInLookback(source, step, roleAccountId, eventNames, isFederation ? Math.max(options.lookbackMs, FEDERATION_LOOKBACK_MS) : options.lookbackMs);

  if (found.selection.kind === "none") {
    const what = session.creationTimeMs !== null
      ? `issued at ${formatIsoSeconds(session.creationTimeMs)} (its creationDate)`
      : "in the lookback window";
    const { rejected } = found.selection;
    const others = rejected.length > 0
      ? ` ${rejected.map((c) => c.primary.eventID).join(", ")} issued ${session.arn} with another access key than ${session.accessKeyId}, so not this session.`
      : "";
    return gapOnly(gap("issuer-not-found", `No successful ${eventNames.join("/")} for ${session.arn} ${what} in the sources.${others}`, hopIndex, found.searched));
  }
  if (found.selection.kind === "ambiguous") {
    const ids = found.selection.calls.map((c) => c.primary.eventID).join(", ");
    return gapOnly(gap("ambiguous-issuer", `${found.selection.calls.length} calls could have issued ${session.arn} and nothing in the logs tells them apart: ${ids}.`, hopIndex, found.searched));
  }

  const { call, matchedBy } = found.selection;
  const callerCopy = call.callerCopy ?? await findCallerCopy(source, call, roleAccountId);
  const switchRole = found.switchRole;
  const callerIdentity = callerCopy?.userIdentity ?? call.primary.userIdentity;
  const issuing = callerCopy ?? call.primary;

  let caller: Principal;
  let callerGap: Gap | null = null;
  const switchFrom = switchRole ? switchFromArn(switchRole) : null;
  if (callerIdentity && callerIdentity.type !== "AWSAccount") {
    caller = principalFromIdentity(callerIdentity, issuing);
  } else if (!callerIdentity) {
    caller = principalFromArn(null);
    callerGap = gap("identity-missing", `${call.primary.eventName} ${call.primary.eventID} has no userIdentity: who called it is unknown.`, hopIndex, null);
  } else if (switchFrom && !SESSION_TYPES.has(principalFromArn(switchFrom).type ?? "")) {
    // The console names who switched even when the caller account's copy is not in the data.
    caller = principalFromArn(switchFrom);
  } else {
    // Known only as an account, or (SwitchFrom) as a role session whose own issuing call can only be
    // found from the caller account's copy (its creationDate and key are there, nowhere else).
    caller = switchFrom
      ? { ...principalFromArn(switchFrom), principalId: callerIdentity.principalId }
      : principalFromIdentity(callerIdentity, issuing);
    const account = callerIdentity.accountId ?? "an unknown account";
    const why = call.primary.sharedEventID
      ? `the copy delivered to ${account} (sharedEventID ${call.primary.sharedEventID}) is not in the sources`
      : "the owner's copy carries no sharedEventID to find the caller's copy by";
    const who = switchFrom ? ` (SwitchRole names ${switchFrom}, a session that cannot be traced further without that copy)` : "";
    callerGap = gap("caller-account-logs-missing", `${call.primary.eventName} ${call.primary.eventID} was called from account ${account}${who}, but ${why}.`, hopIndex, null);
  }

  const hop: Hop = {
    session: sessionPrincipal(session, call.primary),
    assumeRole: toEventRef(call.primary),
    callerEvent: callerCopy ? toEventRef(callerCopy) : null,
    switchRole: switchRole ? toEventRef(switchRole) : null,
    caller,
    callerSourceIPAddress: switchRole?.sourceIPAddress ?? issuing.sourceIPAddress,
    crossAccount: caller.accountId !== null && roleAccountId !== null && caller.accountId !== roleAccountId,
    matchedBy,
    fallback: found.fallback,
  };
  const continues = callerIdentity !== null && SESSION_TYPES.has(callerIdentity.type ?? "");
  return {
    hop,
    gap: callerGap,
    next: continues ? { identity: callerIdentity, call: issuing, consoleSession: switchRole !== null || issuing.sessionCredentialFromConsole } : null,
    originEvent: switchRole ?? issuing,
  };
}

function gapOnly(g: Gap): HopOutcome {
  return { hop: null, gap: g, next: null, originEvent: null };
}

interface IssuerSearch {
  selection: IssuerSelection;
  searched: Searched;
  switchRole: CloudTrailEvent | null;
  fallback: Fallback | null;
}

/** The issuing call happened in the second the session's creationDate names, in any region. */
async function findAtCreationDate(
  source: EventSource, step: Step, creationTimeMs: number, roleAccountId: string | null,
  eventNames: string[], lookForSwitchRole: boolean,
): Promise<IssuerSearch> {
  const session = step.identity;
  const second = toWholeSecond(creationTimeMs);
  const timeRange = { startMs: second, endMs: second + 999 };
  const arn = session.arn!;
  const issuerQuery: EventQuery = { eventNames, issuedSessionArns: [arn], timeRange, ...accountFilter(roleAccountId) };
  const queries: EventQuery[] = [issuerQuery];
  if (lookForSwitchRole) {
    queries.push({ eventNames: [SWITCH_ROLE_EVENT_NAME], callerArns: [arn], timeRange: { startMs: second - 2000, endMs: second + 2999 }, ...accountFilter(roleAccountId) });
  }
  const [issuerAnswer, switchAnswer] = await source.query(queries);
  let { calls, answer, query } = { calls: groupIntoCalls(issuerAnswer!.events, roleAccountId), answer: issuerAnswer!, query: issuerQuery };
  if (calls.length === 0 && roleAccountId !== null) {
    // The role owner's logs may be absent while the caller account's copy is present.
    query = { eventNames, issuedSessionArns: [arn], timeRange };
    [answer] = (await source.query([query])) as [QueryAnswer];
    calls = groupIntoCalls(answer.events, roleAccountId);
  }
  const switchRole = switchAnswer?.events.find((e) => e.errorCode === null) ?? null;
  const keyMayDiffer = step.consoleSession || switchRole !== null;
  return { selection: selectAtCreationDate(calls, session.accessKeyId, keyMayDiffer), searched: searchedFor(query, answer), switchRole, fallback: null };
}

/** Only for sessions without a creationDate: the latest matching call before the session was used. */
async function findInLookback(
  source: EventSource, step: Step, roleAccountId: string | null, eventNames: string[], lookbackMs: number,
): Promise<IssuerSearch> {
  const { identity: session, call: usedBy } = step;
  const arn = session.arn!;
  if (usedBy.eventTimeMs === null) {
    const searched: Searched = { eventNames, accounts: null, window: null, coverage: emptyCoverage() };
    return { selection: { kind: "none", rejected: [] }, searched, switchRole: null, fallback: null };
  }
  const timeRange: TimeRange = { startMs: usedBy.eventTimeMs - lookbackMs, endMs: usedBy.eventTimeMs };
  const query: EventQuery = { eventNames, issuedSessionArns: [arn], timeRange };
  const [answer] = (await source.query([query])) as [QueryAnswer];
  const calls = groupIntoCalls(answer.events, roleAccountId);
  const window = windowOf(timeRange);
  return {
    selection: selectLatestBefore(calls, session.accessKeyId, step.consoleSession),
    searched: searchedFor(query, answer),
    switchRole: null,
    fallback: calls.length > 0 ? { reason: "The session carries no creationDate; took the latest issuing call before it was used.", window, candidates: calls.length } : null,
  };
}

/** The caller account's copy of a cross-account call: same sharedEventID, other eventID and account. */
async function findCallerCopy(source: EventSource, call: IssuingCall, roleAccountId: string | null): Promise<CloudTrailEvent | null> {
  const primary = call.primary;
  if (!primary.sharedEventID || primary.userIdentity?.type !== "AWSAccount") return null;
  const callerAccount = primary.userIdentity.accountId;
  const query: EventQuery = {
    sharedEventIds: [primary.sharedEventID],
    eventNames: [primary.eventName],
    ...accountFilter(callerAccount),
    ...(primary.eventTimeMs !== null ? { timeRange: { startMs: toWholeSecond(primary.eventTimeMs) - 1000, endMs: toWholeSecond(primary.eventTimeMs) + 1999 } } : {}),
  };
  const [answer] = (await source.query([query])) as [QueryAnswer];
  return answer.events.find((e) => e.eventID !== primary.eventID && e.recipientAccountId !== roleAccountId && e.errorCode === null) ?? null;
}

function toOrigin(principal: Principal, event: CloudTrailEvent, hops: readonly Hop[]): Origin {
  const carried = hops.map((h) => h.session.sourceIdentity).find((s) => s !== null) ?? null;
  return {
    ...principal,
    sourceIdentity: principal.sourceIdentity ?? carried,
    sourceIPAddress: event.sourceIPAddress,
    userAgent: event.userAgent,
    event: toEventRef(event),
  };
}

function accountFilter(accountId: string | null): Pick<EventQuery, "accountIds"> {
  return accountId ? { accountIds: [accountId] } : {};
}

function gap(reason: GapReason, message: string, hop: number | null, searched: Searched | null): Gap {
  return { reason, message, hop, searched };
}

function windowOf(range: TimeRange): { from: string; to: string } {
  return { from: new Date(range.startMs).toISOString(), to: new Date(range.endMs).toISOString() };
}

function searchedFor(query: EventQuery, answer: QueryAnswer | undefined): Searched {
  return {
    eventNames: query.eventNames ? [...query.eventNames] : null,
    accounts: query.accountIds ? [...query.accountIds] : null,
    window: query.timeRange ? windowOf(query.timeRange) : null,
    coverage: answer ? { ...answer.coverage } : emptyCoverage(),
  };
}

function emptyCoverage(): Searched["coverage"] {
  return { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null };
}
