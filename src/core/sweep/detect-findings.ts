import type { CloudTrailEvent } from "../cloudtrail-event.js";
import { parseCloudTrailTime } from "../cloudtrail-time.js";
import { ASSUME_ROLE_EVENT_NAMES } from "../issuing-events.js";
import type { SweepConfig } from "../../schema/sweep-config.js";
import { detectCrossAccountAssumeRoles } from "./cross-account-calls.js";
import type { DetectedFinding } from "./detected-finding.js";
import { knownRoleArns, type KnownRoleArns } from "./role-arns.js";
import { detectTrustPolicyChanges } from "./trust-policy-changes.js";
import { detectUnexpectedWebIdentities } from "./web-identity-calls.js";

export type { DetectedFinding } from "./detected-finding.js";

/** Every event name the sweep reads; sources are asked for exactly these in the window. */
export const SWEEP_EVENT_NAMES = [...ASSUME_ROLE_EVENT_NAMES, "CreateRole", "UpdateAssumeRolePolicy"] as const;

/**
 * The sweep's detection core (pure: no I/O). `events` are the window's events of SWEEP_EVENT_NAMES
 * from every account's logs, duplicates and both copies of cross-account calls included. Returns one
 * finding per offending call (a trust-policy change can break two rules: one finding per kind), ordered
 * by eventTime, then eventID, then id. `known`: role paths (see RoleArnBook), by default those `events` show.
 */
export function detectFindings(
  events: readonly CloudTrailEvent[], config: SweepConfig, known: KnownRoleArns = knownRoleArns(events),
): DetectedFinding[] {
  const found = [
    ...detectCrossAccountAssumeRoles(events, config),
    ...detectUnexpectedWebIdentities(events, config),
    ...detectTrustPolicyChanges(events, config, known),
  ];
  return found.sort(byTimeThenEventId);
}

function byTimeThenEventId(a: DetectedFinding, b: DetectedFinding): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return compare(a.finding.eventID, b.finding.eventID) || compare(a.finding.id, b.finding.id);
}

/** Events without a readable time sort last. */
function timeOf(d: DetectedFinding): number {
  return parseCloudTrailTime(d.finding.eventTime) ?? Number.POSITIVE_INFINITY;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
