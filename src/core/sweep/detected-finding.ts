import type { Finding } from "../../schema/finding.js";

export interface DetectedFinding {
  /** The finding with `trace: null`; the sweep fills the trace in when the caller's logs are there. */
  finding: Finding;
  /** eventID of the caller account's copy to trace the caller's chain from, or null. */
  traceFromEventId: string | null;
}
