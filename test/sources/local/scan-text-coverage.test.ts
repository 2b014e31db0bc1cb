import { describe, expect, it } from "vitest";
import { CoverageAccumulator } from "../../../src/sources/local/coverage-accumulator.js";
import { scanTextCoverage } from "../../../src/sources/local/scan-text-coverage.js";

function scan(text: string, want = { accounts: true, regions: true }) {
  const coverage = new CoverageAccumulator();
  scanTextCoverage(Buffer.from(text, "utf8"), coverage, want);
  return coverage.toCoverage();
}

describe("scanTextCoverage", () => {
  it("finds the span and accounts of compact records, as parsing would", () => {
    const text = JSON.stringify({ Records: [
      { eventTime: "2026-11-17T10:20:05Z", recipientAccountId: "111111111111", awsRegion: "us-east-1" },
      { eventTime: "2026-11-17T09:59:59Z", recipientAccountId: "222222222222", awsRegion: "eu-west-1" },
      { eventTime: "2026-11-17T10:30:00Z", recipientAccountId: "111111111111", awsRegion: "us-east-1" },
    ] });
    expect(scan(text)).toEqual({
      accounts: ["111111111111", "222222222222"], regions: ["eu-west-1", "us-east-1"],
      earliestEventTime: "2026-11-17T09:59:59Z", latestEventTime: "2026-11-17T10:30:00Z",
    });
  });

  it("reads pretty-printed JSON, escaped CloudTrailEvent strings and non-canonical stamps", () => {
    const lookup = JSON.stringify({ Events: [{ EventTime: 1700000000, CloudTrailEvent: JSON.stringify({ eventTime: "2026-11-15T00:00:01Z" }) }] }, null, 2);
    expect(scan(lookup).earliestEventTime).toBe("2026-11-15T00:00:01Z");
    const pretty = JSON.stringify([{ eventTime: "2026-11-17T10:20:05.250Z" }, { eventTime: "2026-11-17T12:00:00+02:00" }], null, 4);
    expect(scan(pretty)).toMatchObject({ earliestEventTime: "2026-11-17T10:00:00Z", latestEventTime: "2026-11-17T10:20:05Z" });
  });

  it("ignores look-alike keys and non-string values, and skips accounts when the path named them", () => {
    const text = '{"eventTimeZone":"2000-01-01T00:00:00Z","xeventTime":"2000-01-01T00:00:00Z","eventTime":null,"recipientAccountId":"111111111111"}';
    expect(scan(text, { accounts: false, regions: false })).toEqual({ accounts: [], regions: [], earliestEventTime: null, latestEventTime: null });
  });
});
