import { recordAccountId, type CloudTrailEvent } from "../cloudtrail-event.js";
import { arnAccountId } from "../issuing-events.js";
import { stringField } from "../json-value.js";
import type { SweepConfig } from "../../schema/sweep-config.js";
import { admitsWebIdentity, isTrustedAccount } from "./config-admission.js";
import type { DetectedFinding } from "./detected-finding.js";
import { newFinding } from "./new-finding.js";
import { quoted } from "./bounded-text.js";
import { oidcIssuer } from "./oidc-issuer.js";

/**
 * Successful sts:AssumeRoleWithWebIdentity into a trusted account's role by a (provider, subject) the
 * config's webIdentity list does not admit to that role. An empty list admits nothing (see
 * admitsWebIdentity). The call is logged once, in the role's account, and has no AWS caller to trace.
 */
export function detectUnexpectedWebIdentities(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  const seen = new Set<string>();
  const out: DetectedFinding[] = [];
  for (const event of events) {
    if (event.eventName !== "AssumeRoleWithWebIdentity" || event.errorCode !== null || seen.has(event.eventID)) continue;
    seen.add(event.eventID);
    const detected = judgeWebIdentityCall(event, config);
    if (detected) out.push(detected);
  }
  return out;
}

/** One successful AssumeRoleWithWebIdentity: a finding, or null when the config expects it. */
export function judgeWebIdentityCall(event: CloudTrailEvent, config: SweepConfig): DetectedFinding | null {
  const roleArn = stringField(event.requestParameters, "roleArn");
  const roleAccountId = arnAccountId(roleArn) ?? recordAccountId(event);
  if (!isTrustedAccount(config, roleAccountId)) return null;
  const provider = stringField(event.responseElements, "provider") ?? event.userIdentity?.identityProvider ?? null;
  const issuer = provider ? oidcIssuer(provider) : null;
  const subject = stringField(event.responseElements, "subjectFromWebIdentityToken") ?? event.userIdentity?.userName ?? null;
  if (issuer !== null && subject !== null && roleArn !== null && admitsWebIdentity(config, issuer, subject, roleArn)) return null;
  const rule = config.webIdentity.length === 0
    ? "the config lists no webIdentity entries, so no web identity is expected."
    : "no webIdentity entry admits this provider and subject to this role.";
  return {
    finding: newFinding("web-identity-unexpected-subject", "high", event, {
      roleArn, roleAccountId, callerAccountId: null, callerArn: null,
      callerType: event.userIdentity?.type ?? "WebIdentityUser",
      sourceIPAddress: event.sourceIPAddress, userAgent: event.userAgent,
      reason: `Web identity ${quoted(subject)} from ${quoted(issuer ?? provider)} assumed ${quoted(roleArn)}; ${rule}`,
      webIdentity: { provider, subject },
    }),
    traceFromEventId: null,
  };
}
