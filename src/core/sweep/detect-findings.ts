import type { CloudTrailEvent } from "../cloudtrail-event.js";
import { ASSUME_ROLE_EVENT_NAMES } from "../issuing-events.js";
import type { Finding } from "../../schema/finding.js";
import type { SweepConfig } from "../../schema/sweep-config.js";

/** Every event name the sweep reads; sources are asked for exactly these in the window. */
export const SWEEP_EVENT_NAMES = [...ASSUME_ROLE_EVENT_NAMES, "CreateRole", "UpdateAssumeRolePolicy"] as const;

export interface DetectedFinding {
  /** The finding with `trace: null`; the sweep fills the trace in when the caller's logs are there. */
  finding: Finding;
  /** eventID of the caller account's copy to trace the caller's chain from, or null. */
  traceFromEventId: string | null;
}

/** STUB — being implemented (pure: no I/O). */
export function detectFindings(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  void events;
  void config;
  return [];
}
