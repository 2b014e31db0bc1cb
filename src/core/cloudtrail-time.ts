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
  // Every record has one: the canonical form is read without a regular expression.
  const canonical = parseCanonicalStamp(text);
  if (canonical !== null) return canonical;
  // (null: not canonical, or not a valid date; the general parser gives the same verdict.)
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

/** "2026-11-17T10:20:05Z" exactly, as CloudTrail writes eventTime; null for anything else (then the general parser decides). */
function parseCanonicalStamp(text: string): number | null {
  if (text.length !== 20 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54
    || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x5a) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // (A year below 100 is left to the general parser.)
  return utcMsOfCalendar(year, month, day, hour, minute, second);
}

/**
 * Date.UTC of a date and time that exists on the calendar (month 1-12), else null: Date.UTC
 * silently rolls 2024-02-31 over to March. Years below 100 are refused: Date.UTC reads 99 as 1999.
 */
export function utcMsOfCalendar(year: number, month: number, day: number, hour: number, minute: number, second = 0): number | null {
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
    || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The decimal number of `length` ASCII digits at `start`, or -1 when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}
