import { recordAccountId, type CloudTrailEvent } from "../cloudtrail-event.js";
import { FEDERATION_TOKEN_EVENT_NAME, issuedAccessKeyId } from "../issuing-events.js";

/**
 * One STS call as the logs hold it: a same-account call has one copy; a cross-account call has the
 * role owner's copy and the caller account's copy, sharing sharedEventID (each with its own eventID).
 */
export interface IssuingCall {
  ownerCopy: CloudTrailEvent | null;
  callerCopy: CloudTrailEvent | null;
  /** The copy to cite: the role owner's when present. */
  primary: CloudTrailEvent;
}

/** Successful calls only: a denied AssumeRole issued nothing, even though it names the same role and session. */
export function groupIntoCalls(events: readonly CloudTrailEvent[], roleAccountId: string | null): IssuingCall[] {
  const byCall = new Map<string, CloudTrailEvent[]>();
  const seenEventIds = new Set<string>();
  for (const event of events) {
    if (event.errorCode !== null || seenEventIds.has(event.eventID)) continue;
    seenEventIds.add(event.eventID);
    const callKey = event.sharedEventID ?? `event:${event.eventID}`;
    const copies = byCall.get(callKey);
    if (copies) copies.push(event);
    else byCall.set(callKey, [event]);
  }
  const calls = [...byCall.values()].map((copies) => {
    const ownerCopy = copies.find((c) => recordAccountId(c) === roleAccountId) ?? null;
    const callerCopy = copies.find((c) => c !== ownerCopy && recordAccountId(c) !== roleAccountId) ?? null;
    return { ownerCopy, callerCopy, primary: ownerCopy ?? callerCopy ?? copies[0]! };
  });
  return calls.sort((a, b) => (a.primary.eventTimeMs ?? 0) - (b.primary.eventTimeMs ?? 0)
    || a.primary.eventID.localeCompare(b.primary.eventID));
}

export type IssuerSelection =
  | { kind: "matched"; call: IssuingCall; matchedBy: "accessKeyId" | "assumedRoleArn" }
  /** `rejected`: calls for the session ARN that issued some other key, so not this session's. */
  | { kind: "none"; rejected: IssuingCall[] }
  | { kind: "ambiguous"; calls: IssuingCall[] };

/**
 * Calls that may have issued a session whose key no call matches. A principal that calls
 * AssumeRole / GetFederationToken itself signs with exactly the key the call returned, so such a
 * call that issued another key did not issue this session. Not so where an AWS service brokers the
 * session and hands out keys of its own: the console (each request gets a fresh key, facts §2.9),
 * IAM Identity Center (a real GetRoleCredentials session signs with another key than its
 * AssumeRoleWithSAML logged), a service assuming a role; nor when the session's key is withheld or the
 * call's issued key is not in the record. There ARN + second stand alone, as before.
 */
function possibleWithoutKeyMatch(calls: readonly IssuingCall[], sessionKey: string | null, keyMayDiffer: boolean): IssuingCall[] {
  if (!sessionKey || keyMayDiffer) return [...calls];
  return calls.filter((c) => issuedAccessKeyId(c.primary) === null || !issuedKeyReachesCaller(c));
}

/** The call was made by the principal itself, not brokered by an AWS service ("AWS Internal", invokedBy, AWSService). */
function issuedKeyReachesCaller(call: IssuingCall): boolean {
  if (call.primary.eventName !== "AssumeRole" && call.primary.eventName !== FEDERATION_TOKEN_EVENT_NAME) return false;
  return [call.ownerCopy, call.callerCopy, call.primary].every((copy) => !copy || (
    copy.sourceIPAddress !== "AWS Internal" && copy.userIdentity?.invokedBy == null && copy.userIdentity?.type !== "AWSService"));
}

/**
 * Picks the issuing call among calls that already match the session ARN at the session's
 * creationDate second. The issued key decides when it can (temporary key ids are not unique on
 * their own, but key + ARN + second is); console sessions sign each request with a fresh key, so a
 * lone ARN + second match stands on its own for them. Anything left ambiguous is reported, never guessed.
 */
export function selectAtCreationDate(calls: readonly IssuingCall[], sessionKey: string | null, keyMayDiffer = false): IssuerSelection {
  const byKey = sessionKey ? calls.filter((c) => issuedAccessKeyId(c.primary) === sessionKey) : [];
  if (byKey.length === 1) return { kind: "matched", call: byKey[0]!, matchedBy: "accessKeyId" };
  if (byKey.length > 1) return { kind: "ambiguous", calls: byKey };
  const possible = possibleWithoutKeyMatch(calls, sessionKey, keyMayDiffer);
  if (possible.length === 1) return { kind: "matched", call: possible[0]!, matchedBy: "assumedRoleArn" };
  if (possible.length > 1) return { kind: "ambiguous", calls: possible };
  return { kind: "none", rejected: calls.filter((c) => !possible.includes(c)) };
}

/**
 * Without a creationDate: the latest call for this session ARN before the session was used,
 * preferring calls that issued the session's key; calls that issued another key are out (as above).
 */
export function selectLatestBefore(calls: readonly IssuingCall[], sessionKey: string | null, keyMayDiffer = false): IssuerSelection {
  const byKey = sessionKey ? calls.filter((c) => issuedAccessKeyId(c.primary) === sessionKey) : [];
  const pool = byKey.length > 0 ? byKey : possibleWithoutKeyMatch(calls, sessionKey, keyMayDiffer);
  const latest = pool[pool.length - 1];
  if (!latest) return { kind: "none", rejected: [...calls] };
  return { kind: "matched", call: latest, matchedBy: byKey.length > 0 ? "accessKeyId" : "assumedRoleArn" };
}
