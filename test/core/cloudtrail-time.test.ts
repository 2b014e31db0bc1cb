import { describe, expect, it } from "vitest";
import { formatIsoSeconds, parseCloudTrailTime, parseDuration, toWholeSecond } from "../../src/core/cloudtrail-time.js";

describe("parseCloudTrailTime", () => {
  it.each([
    ["eventTime, ISO extended (every real log)", "2020-09-17T19:04:10Z", Date.UTC(2020, 8, 17, 19, 4, 10)],
    ["creationDate, ISO basic (the documented form)", "20131102T010628Z", Date.UTC(2013, 10, 2, 1, 6, 28)],
    ["fractional seconds", "2024-08-02T08:30:00.123Z", Date.UTC(2024, 7, 2, 8, 30, 0, 123)],
    ["one fractional digit", "2024-08-02T08:30:00.5Z", Date.UTC(2024, 7, 2, 8, 30, 0, 500)],
    ["microseconds (truncated to ms)", "2024-08-02T08:30:00.123999Z", Date.UTC(2024, 7, 2, 8, 30, 0, 123)],
    ["positive offset with colon", "2020-09-17T21:04:10+02:00", Date.UTC(2020, 8, 17, 19, 4, 10)],
    ["negative offset without colon", "2020-09-17T13:34:10-0530", Date.UTC(2020, 8, 17, 19, 4, 10)],
    ["basic form with offset", "20131102T020628+0100", Date.UTC(2013, 10, 2, 1, 6, 28)],
    ["no zone (Athena/Lake text): UTC", "2020-09-17 19:04:10", Date.UTC(2020, 8, 17, 19, 4, 10)],
    ["leap day", "2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("%s: %s", (_label, text, expected) => {
    expect(parseCloudTrailTime(text)).toBe(expected);
  });

  it.each([
    ["empty", ""],
    ["garbage", "yesterday"],
    ["credentials.expiration (human format, not ISO)", "Sep 17, 2020 8:04:10 PM"],
    ["2023+ expiration format", "Nov 16, 2026, 9:46:15 PM"],
    ["date only", "2020-09-17"],
    ["epoch number as text", "1600369450"],
    ["month 13", "2020-13-01T00:00:00Z"],
    ["Feb 30", "2021-02-30T00:00:00Z"],
    ["Feb 29 in a non-leap year", "2021-02-29T00:00:00Z"],
    ["hour 25", "2020-09-17T25:00:00Z"],
    ["minute 61", "2020-09-17T19:61:00Z"],
    ["second 61", "2020-09-17T19:04:61Z"],
    ["day 0", "2020-09-00T19:04:10Z"],
    ["offset beyond ±23:59", "2020-09-17T19:04:10+25:00"],
    ["offset minutes 75", "2020-09-17T19:04:10+01:75"],
    ["trailing junk", "2020-09-17T19:04:10Zjunk"],
    ["mixed basic/extended", "2020-09-17T190410Z"],
  ])("rejects %s: %s", (_label, text) => {
    expect(parseCloudTrailTime(text)).toBeNull();
  });

  it("rejects null and undefined", () => {
    expect(parseCloudTrailTime(null)).toBeNull();
    expect(parseCloudTrailTime(undefined)).toBeNull();
  });
});

describe("toWholeSecond / formatIsoSeconds", () => {
  it("CloudTrail's one-second resolution", () => {
    const ms = Date.UTC(2026, 10, 16, 10, 15, 0, 999);
    expect(toWholeSecond(ms)).toBe(Date.UTC(2026, 10, 16, 10, 15, 0));
    expect(formatIsoSeconds(ms)).toBe("2026-11-16T10:15:00Z");
  });
});

describe("parseDuration", () => {
  it.each([
    ["12h", 12 * 3_600_000],
    ["90m", 90 * 60_000],
    ["2d", 2 * 86_400_000],
    ["30s", 30_000],
    ["1500ms", 1500],
    ["1.5h", 5_400_000],
    ["0s", 0],
    [" 36h ", 36 * 3_600_000],
    ["12 h", 12 * 3_600_000],
  ])("%j → %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "12", "h", "-1h", "12x", "12 hours", "1h30m", "12H", "1e3s", ".5h"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe("parseCloudTrailTime's canonical fast path", () => {
  it("agrees with the general parser on valid, invalid and edge stamps", () => {
    const stamps = ["2026-11-17T10:20:05Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
      "2000-02-29T12:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-17T24:00:00Z",
      "2026-11-17T10:60:05Z", "2026-11-17T10:20:60Z", "0099-01-01T00:00:00Z", "2026-1a-17T10:20:05Z"];
    for (const stamp of stamps) {
      // The same stamp with ".000" takes the regular-expression path: both must agree.
      const general = parseCloudTrailTime(stamp.replace("Z", ".000Z"));
      expect(parseCloudTrailTime(stamp), stamp).toBe(general);
    }
    expect(parseCloudTrailTime("2024-02-29T23:59:59Z")).toBe(Date.parse("2024-02-29T23:59:59Z"));
    expect(parseCloudTrailTime("2023-02-29T00:00:00Z")).toBeNull();
  });
});
