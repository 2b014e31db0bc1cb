/**
 * Log values are attacker-controlled and unbounded. Findings carry them as data (renderers escape),
 * but never at any length: evidence fields keep up to the longest value AWS itself allows (an ARN is at
 * most 2,048 characters), and values quoted inside a reason sentence are cut much shorter.
 */

export const EVIDENCE_MAX_CHARS = 2048;
export const REASON_VALUE_MAX_CHARS = 200;

export function boundedText(value: string, max: number): string {
  if (value.length <= max) return value;
  // Cut on a code point boundary, and say that it was cut.
  return `${Array.from(value.slice(0, max)).slice(0, -1).join("")}…`;
}

export function boundedEvidence(value: string | null): string | null {
  return value === null ? null : boundedText(value, EVIDENCE_MAX_CHARS);
}

/** A log value for a reason sentence: bounded, and "(unknown)" when absent. */
export function quoted(value: string | null): string {
  return value === null ? "(unknown)" : boundedText(value, REASON_VALUE_MAX_CHARS);
}
