import type { ExpectedHop, ExpectedOrigin, ExpectedTrace } from "../../../src/generator/expected-trace.js";
import type { Corpus, TrailRecord } from "./read-corpus.js";

/**
 * An independent, deliberately plain implementation of the documented join (cloudtrail-facts.md
 * §4.3): issued session ARN + creationDate second, then the issued key among ties; latest-before
 * inside a 12 h lookback when creationDate is missing. Used to prove every expected chain is what
 * the logs say, whatever noise surrounds it.
 */
export const LOOKBACK_MS = 12 * 3_600_000;
const ISSUING = new Set(["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken"]);
const SESSION_TYPES = new Set(["AssumedRole", "FederatedUser"]);

type Json = Record<string, unknown>;
export type TraceResult = Pick<ExpectedTrace, "hops" | "origin" | "complete" | "gapReasons" | "fallback">;

const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const second = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export function issuedSessionArn(e: TrailRecord): string | null {
  const response = obj(e["responseElements"]);
  if (e.eventName === "GetFederationToken") return str(obj(response["federatedUser"])["arn"]);
  const logged = str(obj(response["assumedRoleUser"])["arn"]);
  if (logged) return logged;
  const request = obj(e["requestParameters"]);
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(str(request["roleArn"]) ?? "");
  return m ? `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${str(request["roleSessionName"])}` : null;
}

export function issuedKey(e: TrailRecord): string | null {
  return str(obj(obj(e["responseElements"])["credentials"])["accessKeyId"]);
}

export interface IssuingIndex {
  byArn: Map<string, TrailRecord[]>;
  byKey: Map<string, TrailRecord[]>;
  switchRoles: TrailRecord[];
}

export function indexIssuing(corpus: Corpus): IssuingIndex {
  const byArn = new Map<string, TrailRecord[]>();
  const byKey = new Map<string, TrailRecord[]>();
  const switchRoles: TrailRecord[] = [];
  const seen = new Set<string>();
  for (const file of corpus.logFiles) {
    for (const e of file.records) {
      if (seen.has(e.eventID)) continue;
      seen.add(e.eventID);
      if (e.eventName === "SwitchRole") switchRoles.push(e);
      if (!ISSUING.has(e.eventName) || e["errorCode"] !== undefined) continue;
      const arn = issuedSessionArn(e);
      const key = issuedKey(e);
      if (arn) byArn.set(arn, [...(byArn.get(arn) ?? []), e]);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), e]);
    }
  }
  return { byArn, byKey, switchRoles };
}

/** One call = its copies (sharedEventID groups the owner's and the caller's). */
function groupCalls(events: TrailRecord[]): TrailRecord[][] {
  const calls = new Map<string, TrailRecord[]>();
  for (const e of events) {
    const key = str(e["sharedEventID"]) ?? e.eventID;
    calls.set(key, [...(calls.get(key) ?? []), e]);
  }
  return [...calls.values()].sort((a, b) => Date.parse(a[0]!.eventTime) - Date.parse(b[0]!.eventTime));
}

export function referenceTrace(corpus: Corpus, index: IssuingIndex, subjectId: string): TraceResult {
  const subject = corpus.byEventId.get(subjectId)?.[0]?.record;
  if (!subject) return { hops: [], origin: null, complete: false, gapReasons: ["subject-not-found"] };
  const hops: ExpectedHop[] = [];
  const gapReasons: ExpectedTrace["gapReasons"] = [];
  let fallback: { candidates: number } | undefined;
  let identity = obj(subject["userIdentity"]);
  let call: TrailRecord = subject;
  let originIp = str(subject["sourceIPAddress"]);
  let originIssuing: TrailRecord | null = null;
  const subjectSourceIdentity = str(obj(identity["sessionContext"])["sourceIdentity"]);

  while (SESSION_TYPES.has(str(identity["type"]) ?? "")) {
    const arn = str(identity["arn"])!;
    const roleAccount = arn.split(":")[4]!;
    const key = str(identity["accessKeyId"]);
    const creation = str(obj(obj(identity["sessionContext"])["attributes"])["creationDate"]);
    let calls = groupCalls(index.byArn.get(arn) ?? []);
    let chosen: TrailRecord[] | null = null;
    let matchedBy: ExpectedHop["matchedBy"] = "accessKeyId";
    if (creation) {
      calls = calls.filter((c) => second(c[0]!.eventTime) === second(creation));
      const byKey = calls.filter((c) => issuedKey(c[0]!) === key);
      if (byKey.length === 1) chosen = byKey[0]!;
      else if (byKey.length === 0 && calls.length === 1) { chosen = calls[0]!; matchedBy = "assumedRoleArn"; }
      else if (byKey.length > 1 || calls.length > 1) { gapReasons.push("ambiguous-issuer"); break; }
    } else {
      const usedAt = Date.parse(call.eventTime);
      calls = calls.filter((c) => { const t = Date.parse(c[0]!.eventTime); return t <= usedAt && t >= usedAt - LOOKBACK_MS; });
      const byKey = calls.filter((c) => issuedKey(c[0]!) === key);
      const pool = byKey.length > 0 ? byKey : calls;
      chosen = pool.at(-1) ?? null;
      matchedBy = byKey.length > 0 ? "accessKeyId" : "assumedRoleArn";
      if (chosen) fallback = { candidates: calls.length };
    }
    if (!chosen) { gapReasons.push("issuer-not-found"); break; }
    const owner = chosen.find((c) => c.recipientAccountId === roleAccount) ?? null;
    const callerCopy = chosen.find((c) => c.recipientAccountId !== roleAccount) ?? null;
    const issuing = owner ?? callerCopy!;
    const callerIdentity = obj((callerCopy ?? issuing)["userIdentity"]);
    const callerAccount = str(callerIdentity["accountId"]);
    hops.push({
      sessionArn: arn, issuingEventId: issuing.eventID, callerEventId: owner && callerCopy ? callerCopy.eventID : null, matchedBy,
      crossAccount: callerAccount !== null && callerAccount !== roleAccount, callerType: str(callerIdentity["type"]) ?? "",
    });
    const switchRole = index.switchRoles.find((s) => str(obj(s["userIdentity"])["arn"]) === arn && s.recipientAccountId === roleAccount && Math.abs(second(s.eventTime) - second(issuing.eventTime)) <= 2);
    originIp = str((switchRole ?? callerCopy ?? issuing)["sourceIPAddress"]);
    identity = callerIdentity;
    call = callerCopy ?? issuing;
    originIssuing = call;
    if (str(identity["type"]) === "AWSAccount") { gapReasons.push("caller-account-logs-missing"); break; }
  }
  // Without the issuing call nothing is known of who started the chain: no origin.
  if (gapReasons.includes("issuer-not-found") || gapReasons.includes("ambiguous-issuer")) {
    return { hops, origin: null, complete: false, gapReasons, ...(fallback ? { fallback } : {}) };
  }
  const type = str(identity["type"]) ?? "Unknown";
  const arn = str(identity["arn"]);
  const mfaAttribute = str(obj(obj(identity["sessionContext"])["attributes"])["mfaAuthenticated"]);
  const origin: ExpectedOrigin = {
    type, arn,
    accountId: str(identity["accountId"]) ?? (arn?.split(":")[4] || null),
    sourceIPAddress: originIp,
    userName: str(identity["userName"]),
    mfaAuthenticated: mfaAttribute !== null ? mfaAttribute === "true"
      : (type === "IAMUser" || type === "Root") && originIssuing ? str(obj(originIssuing["requestParameters"])["serialNumber"]) !== null : null,
    identityProvider: str(identity["identityProvider"]),
    sourceIdentity: subjectSourceIdentity,
    invokedBy: type === "AWSService" ? str(identity["invokedBy"]) : null,
  };
  const result: TraceResult = { hops, origin, complete: gapReasons.length === 0, gapReasons };
  if (fallback) result.fallback = fallback;
  return result;
}

/** A tracer that joins on the session ARN alone: the latest issuing call for the ARN before the subject. */
export function arnOnlyIssuer(index: IssuingIndex, subject: TrailRecord): TrailRecord | null {
  const arn = str(obj(subject["userIdentity"])["arn"]);
  const t = Date.parse(subject.eventTime);
  return (index.byArn.get(arn ?? "") ?? []).filter((e) => Date.parse(e.eventTime) <= t).sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime)).at(-1) ?? null;
}

/** A tracer that joins on the access key alone: the latest issuing call that handed out the subject's key. */
export function keyOnlyIssuer(index: IssuingIndex, subject: TrailRecord): TrailRecord | null {
  const key = str(obj(subject["userIdentity"])["accessKeyId"]);
  const t = Date.parse(subject.eventTime);
  return (index.byKey.get(key ?? "") ?? []).filter((e) => Date.parse(e.eventTime) <= t).sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime)).at(-1) ?? null;
}
