export interface TraceOptions {
  eventId: string;
  /** Hint of the subject's time (ms); lets sources skip files. The subject is still found without it. */
  atMs?: number | null;
  /** How far back to look for an issuing call when a session carries no creationDate. */
  lookbackMs: number;
  /** Hard stop against absurd or looping chains. */
  maxHops: number;
}

export const HOUR_MS = 3_600_000;
export const DEFAULT_LOOKBACK_MS = 12 * HOUR_MS;
/** GetFederationToken/GetSessionToken credentials live up to 36 h. */
export const FEDERATION_LOOKBACK_MS = 36 * HOUR_MS;
export const DEFAULT_MAX_HOPS = 16;
/** How far from an --at hint the subject is first looked for before searching everything. */
export const AT_HINT_TOLERANCE_MS = HOUR_MS;
