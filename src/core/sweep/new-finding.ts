import { recordAccountId, type CloudTrailEvent } from "../cloudtrail-event.js";
import type { Finding, FindingKind, PolicyPrincipal, Severity } from "../../schema/finding.js";
import { boundedEvidence, boundedText, EVIDENCE_MAX_CHARS } from "./bounded-text.js";

/** What a detector decides; the rest of a finding comes from the event it cites. */
export interface FindingFacts {
  roleArn: string | null;
  roleAccountId: string | null;
  callerAccountId: string | null;
  callerArn: string | null;
  callerType: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  reason: string;
  principals?: readonly PolicyPrincipal[];
  webIdentity?: { provider: string | null; subject: string | null } | null;
}

/** A rolechain.finding/v1 citing `event`; its id is stable: the same event always gives the same id. */
export function newFinding(kind: FindingKind, severity: Severity, event: CloudTrailEvent, facts: FindingFacts): Finding {
  return {
    schema: "rolechain.finding/v1",
    id: `${kind}:${event.eventID}`,
    kind,
    severity,
    eventID: event.eventID,
    sharedEventID: event.sharedEventID,
    eventName: event.eventName,
    eventTime: event.eventTime,
    awsRegion: event.awsRegion,
    recipientAccountId: recordAccountId(event),
    roleArn: boundedEvidence(facts.roleArn),
    roleAccountId: boundedEvidence(facts.roleAccountId),
    callerAccountId: boundedEvidence(facts.callerAccountId),
    callerArn: boundedEvidence(facts.callerArn),
    callerType: boundedEvidence(facts.callerType),
    sourceIPAddress: boundedEvidence(facts.sourceIPAddress),
    userAgent: boundedEvidence(facts.userAgent),
    reason: facts.reason,
    // Copied field by field: parsed principals carry their conditions, which are not part of the contract.
    principals: (facts.principals ?? []).map((p) => ({
      element: p.element,
      kind: p.kind,
      value: boundedText(p.value, EVIDENCE_MAX_CHARS),
      accountId: boundedEvidence(p.accountId),
      conditionKeys: p.conditionKeys.map((k) => boundedText(k, EVIDENCE_MAX_CHARS)),
    })),
    webIdentity: facts.webIdentity
      ? { provider: boundedEvidence(facts.webIdentity.provider), subject: boundedEvidence(facts.webIdentity.subject) }
      : null,
    trace: null,
  };
}
