import { describe, expect, it } from "vitest";
import {
  awsLogsPrefix, dayPrefix, deliveryWindow, parseAwsLogsFolders, parseOrganizationFolders, parseRegionFolders,
  parseS3Uri, utcDaysOverlapping,
} from "../../../src/sources/s3/trail-key-layout.js";

const HOUR = 3_600_000;

describe("parseS3Uri", () => {
  it("keeps the bucket and normalises the prefix to nothing or one trailing slash", () => {
    expect(parseS3Uri("s3://trail-bucket")).toEqual({ bucket: "trail-bucket", prefix: "" });
    expect(parseS3Uri("s3://trail-bucket/")).toEqual({ bucket: "trail-bucket", prefix: "" });
    expect(parseS3Uri("s3://trail-bucket/org-trail")).toEqual({ bucket: "trail-bucket", prefix: "org-trail/" });
    expect(parseS3Uri("S3://trail-bucket//a/b//")).toEqual({ bucket: "trail-bucket", prefix: "a/b/" });
  });

  it("refuses what is not s3://BUCKET", () => {
    expect(parseS3Uri("trail-bucket/x")).toBeNull();
    expect(parseS3Uri("s3://")).toBeNull();
    expect(parseS3Uri("s3://Upper_Case/x")).toBeNull();
  });
});

describe("folder listings", () => {
  const awsLogs = awsLogsPrefix({ bucket: "b", prefix: "org-trail/" });

  it("tells organization folders from account folders under AWSLogs/, and ignores anything else", () => {
    const parsed = parseAwsLogsFolders(awsLogs, [
      "org-trail/AWSLogs/o-h3x9k2m7qa/", "org-trail/AWSLogs/111111111111/", "org-trail/AWSLogs/notes/",
      "org-trail/AWSLogs/12345/", "elsewhere/AWSLogs/222222222222/",
    ]);
    expect(parsed).toEqual({
      organizationPrefixes: ["org-trail/AWSLogs/o-h3x9k2m7qa/"],
      accounts: [{ organizationId: null, accountId: "111111111111", prefix: "org-trail/AWSLogs/111111111111/CloudTrail/" }],
    });
  });

  it("reads the accounts of an organization folder", () => {
    expect(parseOrganizationFolders("AWSLogs/o-h3x9k2m7qa/", ["AWSLogs/o-h3x9k2m7qa/333333333333/", "AWSLogs/o-h3x9k2m7qa/readme/"]))
      .toEqual([{ organizationId: "o-h3x9k2m7qa", accountId: "333333333333", prefix: "AWSLogs/o-h3x9k2m7qa/333333333333/CloudTrail/" }]);
  });

  it("reads regions under CloudTrail/, invented ones included", () => {
    const cloudTrail = "AWSLogs/111111111111/CloudTrail/";
    expect(parseRegionFolders(cloudTrail, [`${cloudTrail}eu-west-1/`, `${cloudTrail}us-north-2r/`, `${cloudTrail}bad region/`]))
      .toEqual(["eu-west-1", "us-north-2r"]);
  });
});

describe("days to list", () => {
  it("builds the day folder of an account and region", () => {
    const folder = { organizationId: "o-h3x9k2m7qa", accountId: "111111111111", prefix: "p/AWSLogs/o-h3x9k2m7qa/111111111111/CloudTrail/" };
    expect(dayPrefix(folder, "eu-west-1", Date.parse("2026-03-07T00:00:00Z")))
      .toBe("p/AWSLogs/o-h3x9k2m7qa/111111111111/CloudTrail/eu-west-1/2026/03/07/");
  });

  it("widens an event-time range into the delivery times that can hold it", () => {
    const range = { startMs: Date.parse("2026-11-16T10:00:00Z"), endMs: Date.parse("2026-11-16T10:00:00Z") };
    expect(deliveryWindow(range, { clockSkewMs: 15 * 60_000, deliverySlackMs: 12 * HOUR })).toEqual({
      startMs: Date.parse("2026-11-16T09:45:00Z"), endMs: Date.parse("2026-11-16T22:00:00Z"),
    });
  });

  it("lists each UTC day the window touches, boundaries included", () => {
    const iso = (days: number[]) => days.map((d) => new Date(d).toISOString().slice(0, 10));
    expect(iso(utcDaysOverlapping({ startMs: Date.parse("2026-11-16T23:59:00Z"), endMs: Date.parse("2026-11-17T00:00:00Z") })))
      .toEqual(["2026-11-16", "2026-11-17"]);
    expect(iso(utcDaysOverlapping({ startMs: Date.parse("2026-12-31T09:00:00Z"), endMs: Date.parse("2027-01-02T23:59:59.999Z") })))
      .toEqual(["2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(utcDaysOverlapping({ startMs: 10, endMs: 5 })).toEqual([]);
  });
});
