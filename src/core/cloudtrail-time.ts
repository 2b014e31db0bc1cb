/**
 * CloudTrail timestamps. eventTime is ISO-8601 extended ("2020-09-17T19:04:10Z"); the docs say
 * sessionContext.attributes.creationDate is ISO-8601 *basic* ("20131102T010628Z") while every real
 * log uses the extended form, so both are accepted.
 */

const ISO_EXTENDED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{4})?$/;

/** Milliseconds since the epoch, or null when the text is not a CloudTrail timestamp. */
export function parseCloudTrailTime(text: string | null | undefined): number | null {
  if (!text) return null;
  const match = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as
    [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction ? Math.floor(Number(fraction) * 1000) : 0);
  // Date.UTC rolls over ("2021-02-30" would become March 2): out-of-range fields are not a time.
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1
    || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  const offset = zoneOffsetMs(zone);
  return offset === null ? null : ms - offset;
}

function zoneOffsetMs(zone: string | undefined): number | null {
  if (!zone || zone === "Z") return 0;
  const digits = zone.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** CloudTrail's resolution is one second: compare instants by the second they fall in. */
export function toWholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function formatIsoSeconds(ms: number): string {
  return new Date(toWholeSecond(ms)).toISOString().replace(".000Z", "Z");
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "12h", "90m", "2d" → milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const [, amount, unit] = match;
  return Number(amount) * (UNIT_MS[unit ?? ""] ?? Number.NaN);
}
