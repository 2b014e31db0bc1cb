import { recordAccountId, type CloudTrailEvent } from "../cloudtrail-event.js";
import { arnAccountId } from "../issuing-events.js";
import { groupIntoCalls } from "../trace/issuing-call.js";
import type { SweepConfig } from "../../schema/sweep-config.js";
import { admitsAccountToRole, isTrustedAccount } from "./config-admission.js";
import type { DetectedFinding } from "./detected-finding.js";
import { newFinding, type FindingFacts } from "./new-finding.js";
import { quoted } from "./bounded-text.js";
import { assumeRoleTarget } from "./role-arns.js";

/**
 * sts:AssumeRole across accounts, judged against the config, one finding per call (never per copy):
 * - inbound: a trusted account's role assumed from an account the config does not admit to it;
 * - outbound: a trusted account's principal assuming a role in an account the config does not admit it to.
 * Calls between trusted accounts, same-account calls, AWS services assuming roles (facts §2.8: they
 * may carry a sharedEventID with no second copy) and calls with no caller account are not judged.
 * AssumeRoleWithSAML / WithWebIdentity have no caller account; web identities are judged elsewhere.
 */
export function detectCrossAccountAssumeRoles(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  const assumeRoles = events.filter((e) => e.eventName === "AssumeRole");
  return [...successfulCalls(assumeRoles, config), ...deniedCalls(assumeRoles, config)];
}

/** The two copies of a call share the role, so grouping per role account keeps them together. */
function successfulCalls(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  const byRoleAccount = new Map<string, CloudTrailEvent[]>();
  for (const event of events) {
    const { roleAccountId } = assumeRoleTarget(event);
    if (event.errorCode !== null || roleAccountId === null) continue;
    const group = byRoleAccount.get(roleAccountId);
    if (group) group.push(event);
    else byRoleAccount.set(roleAccountId, [event]);
  }
  const out: DetectedFinding[] = [];
  for (const [roleAccountId, group] of byRoleAccount) {
    for (const { ownerCopy, callerCopy } of groupIntoCalls(group, roleAccountId)) {
      const detected = judgeSuccessfulCall(ownerCopy, callerCopy, roleAccountId, config);
      if (detected) out.push(detected);
    }
  }
  return out;
}

function judgeSuccessfulCall(
  ownerCopy: CloudTrailEvent | null, callerCopy: CloudTrailEvent | null, roleAccountId: string, config: SweepConfig,
): DetectedFinding | null {
  const copies = [ownerCopy, callerCopy].filter((c): c is CloudTrailEvent => c !== null);
  if (copies.some((c) => c.userIdentity?.type === "AWSService")) return null;
  const callerAccountId = (callerCopy ? callerAccountOf(callerCopy) : null) ?? ownerCopy?.userIdentity?.accountId ?? null;
  if (callerAccountId === null || callerAccountId === roleAccountId) return null;
  const roleArn = assumeRoleTarget(copies[0]!).roleArn;
  const role = roleArn ? { arn: roleArn, pathKnown: true } : null;
  if (admitsAccountToRole(config, callerAccountId, roleAccountId, role)) return null;
  // Each direction cites the copy our own logs hold: the role owner's for inbound, the caller's for outbound.
  if (isTrustedAccount(config, roleAccountId)) return inbound(ownerCopy ?? callerCopy!, callerCopy, roleArn, roleAccountId, callerAccountId);
  if (isTrustedAccount(config, callerAccountId)) return outbound(callerCopy ?? ownerCopy!, callerCopy, roleArn, roleAccountId, callerAccountId, null);
  return null;
}

/** Severity high: a role of ours is in the hands of an account nobody allowed. */
function inbound(
  cited: CloudTrailEvent, callerCopy: CloudTrailEvent | null, roleArn: string | null, roleAccountId: string, callerAccountId: string,
): DetectedFinding {
  return {
    finding: newFinding("unexpected-cross-account-assume-role", "high", cited, {
      ...callerFacts(callerCopy ?? cited, callerCopy !== null),
      roleArn, roleAccountId, callerAccountId,
      reason: `Account ${quoted(callerAccountId)} assumed ${quoted(roleArn)}; it is not a trusted account and no allow entry admits it to this role.`,
    }),
    traceFromEventId: callerCopy?.eventID ?? null,
  };
}

function deniedCalls(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  const seen = new Set<string>();
  const out: DetectedFinding[] = [];
  for (const event of events) {
    if (event.errorCode === null || seen.has(event.eventID)) continue;
    seen.add(event.eventID);
    const detected = judgeDeniedCall(event, config);
    if (detected) out.push(detected);
  }
  return out;
}

/**
 * A denied cross-account AssumeRole is logged in the caller's account only (facts §2.2), so only the
 * outbound direction can be seen; a failed inbound call issued nothing and is not judged.
 */
function judgeDeniedCall(event: CloudTrailEvent, config: SweepConfig): DetectedFinding | null {
  if (event.userIdentity?.type === "AWSService" || event.userIdentity?.type === "AWSAccount") return null;
  const { roleArn, roleAccountId } = assumeRoleTarget(event);
  const callerAccountId = callerAccountOf(event);
  if (roleAccountId === null || callerAccountId === null || !isTrustedAccount(config, callerAccountId)) return null;
  if (admitsAccountToRole(config, callerAccountId, roleAccountId, roleArn ? { arn: roleArn, pathKnown: true } : null)) return null;
  return outbound(event, event, roleArn, roleAccountId, callerAccountId, event.errorCode);
}

/**
 * Whether one copy of an AssumeRole, judged without the call's other copy, breaks a rule. Both
 * copies of a call carry the same role and the same caller account (facts §1.4: the owner's copy
 * names the caller's account), so they are judged alike: a sweep may keep only the copies for which
 * this holds and still find every call detectCrossAccountAssumeRoles finds, with both its copies.
 */
export function assumeRoleCopyBreaksRule(event: CloudTrailEvent, config: SweepConfig): boolean {
  if (event.eventName !== "AssumeRole") return false;
  if (event.errorCode !== null) return judgeDeniedCall(event, config) !== null;
  const { roleAccountId } = assumeRoleTarget(event);
  if (roleAccountId === null) return false;
  // As groupIntoCalls files a lone copy: the owner's when delivered to the role's account.
  const isOwnerCopy = recordAccountId(event) === roleAccountId;
  return judgeSuccessfulCall(isOwnerCopy ? event : null, isOwnerCopy ? null : event, roleAccountId, config) !== null;
}

/**
 * Severity medium whether it succeeded or was denied: neither exposes a role of ours. Success means
 * the other account trusts our principal (a path data can leave by, or an unlisted partner); a denial
 * means someone of ours tried a door that does not trust them (reconnaissance, or a misconfiguration).
 * Both need a look; neither is the open backdoor an inbound finding is.
 */
function outbound(
  cited: CloudTrailEvent, callerCopy: CloudTrailEvent | null, roleArn: string | null, roleAccountId: string,
  callerAccountId: string, errorCode: string | null,
): DetectedFinding {
  const who = quoted(callerCopy?.userIdentity?.arn ?? null);
  const rule = `account ${quoted(roleAccountId)} is not trusted and no allow entry admits account ${quoted(callerAccountId)} to this role.`;
  const reason = errorCode === null
    ? `${who} of trusted account ${quoted(callerAccountId)} assumed ${quoted(roleArn)}; ${rule}`
    : `${who} of trusted account ${quoted(callerAccountId)} tried to assume ${quoted(roleArn)} and was denied (${quoted(errorCode)}); ${rule}`;
  return {
    finding: newFinding("outbound-cross-account-assume-role", "medium", cited, {
      ...callerFacts(callerCopy ?? cited, callerCopy !== null),
      roleArn, roleAccountId, callerAccountId, reason,
    }),
    traceFromEventId: callerCopy?.eventID ?? null,
  };
}

/** The caller's account as its own copy shows it. */
function callerAccountOf(copy: CloudTrailEvent): string | null {
  return copy.userIdentity?.accountId ?? arnAccountId(copy.userIdentity?.arn ?? null) ?? recordAccountId(copy);
}

/** Who called and from where: the caller's copy has the full identity; the owner's copy only "AWSAccount". */
function callerFacts(copy: CloudTrailEvent, isCallerCopy: boolean): Pick<FindingFacts, "callerArn" | "callerType" | "sourceIPAddress" | "userAgent"> {
  return {
    callerArn: isCallerCopy ? copy.userIdentity?.arn ?? null : null,
    callerType: copy.userIdentity?.type ?? (isCallerCopy ? null : "AWSAccount"),
    sourceIPAddress: copy.sourceIPAddress,
    userAgent: copy.userAgent,
  };
}
