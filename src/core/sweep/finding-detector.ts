import type { CloudTrailEvent } from "../cloudtrail-event.js";
import type { SweepConfig } from "../../schema/sweep-config.js";
import { assumeRoleCopyBreaksRule } from "./cross-account-calls.js";
import { detectFindings } from "./detect-findings.js";
import type { DetectedFinding } from "./detected-finding.js";
import type { KnownRoleArns } from "./role-arns.js";
import { judgeWebIdentityCall } from "./web-identity-calls.js";

/**
 * The sweep's detection fed one event at a time: `add` each candidate event of the window once (by
 * eventID), then ask for the findings. What it keeps in between is its own affair, so the sweep
 * itself holds nothing of the window.
 */
export interface FindingDetector {
  add(event: CloudTrailEvent): void;
  /** The window's findings; `known`: the role paths the window's calls showed (RoleArnBook). */
  findings(known: KnownRoleArns): DetectedFinding[];
}

/**
 * detectFindings without holding the window: an event is kept only when it can take part in a
 * finding. Most of an organisation's role assumptions are between its own accounts, or expected web
 * identities, and are let go as they arrive; memory follows the findings, not the traffic.
 */
export function createFindingDetector(config: SweepConfig): FindingDetector & { readonly held: number } {
  const kept: CloudTrailEvent[] = [];
  return {
    add(event) {
      if (mayTakePartInFinding(event, config)) kept.push(event);
    },
    findings: (known) => detectFindings(kept, config, known),
    get held() {
      return kept.length;
    },
  };
}

/** Whether detectFindings could use the event in a finding; false only when it certainly cannot. */
export function mayTakePartInFinding(event: CloudTrailEvent, config: SweepConfig): boolean {
  switch (event.eventName) {
    case "CreateRole":
    case "UpdateAssumeRolePolicy":
      // Few, and judged with the role paths known only at the end.
      return true;
    case "AssumeRoleWithWebIdentity":
      return event.errorCode === null && judgeWebIdentityCall(event, config) !== null;
    case "AssumeRole":
      return assumeRoleCopyBreaksRule(event, config);
    default:
      // AssumeRoleWithSAML breaks no rule; its role path is the sweep's RoleArnBook's.
      return false;
  }
}
