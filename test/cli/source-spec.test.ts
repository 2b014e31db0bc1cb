import { describe, expect, it } from "vitest";
import { needsTimeHint, parseSourceSpec, SourceSpecError } from "../../src/cli/source-spec.js";

describe("parseSourceSpec", () => {
  it.each([
    ["s3://trail-bucket", { kind: "s3", uri: "s3://trail-bucket/", bucket: "trail-bucket", prefix: "" }],
    ["s3://trail-bucket/", { kind: "s3", uri: "s3://trail-bucket/", bucket: "trail-bucket", prefix: "" }],
    ["s3://trail-bucket/org/prod", { kind: "s3", uri: "s3://trail-bucket/org/prod/", bucket: "trail-bucket", prefix: "org/prod/" }],
    ["S3://trail-bucket//org/", { kind: "s3", uri: "s3://trail-bucket/org/", bucket: "trail-bucket", prefix: "org/" }],
    ["cloudtrail", { kind: "cloudtrail", regions: null }],
    ["cloudtrail:us-east-1,eu-west-1,us-east-1", { kind: "cloudtrail", regions: ["us-east-1", "eu-west-1"] }],
    ["cloudtrail:us-gov-west-1", { kind: "cloudtrail", regions: ["us-gov-west-1"] }],
    ["./cloudtrail", { kind: "local", path: "./cloudtrail" }],
    ["athena://cloudtrail.trail?partitioning=classic,account:account", {
      kind: "athena", uri: "athena://cloudtrail.trail?partitioning=classic,account:account",
      table: { database: "cloudtrail", table: "trail", partitioning: { kind: "classic", regionColumn: "region", yearColumn: "year", monthColumn: "month", dayColumn: "day", accountColumn: "account" } },
    }],
    ["lake://arn:aws:cloudtrail:eu-west-1:101010101010:eventdatastore/EXAMPLE-f852-4e8f", {
      kind: "lake", uri: "lake://arn:aws:cloudtrail:eu-west-1:101010101010:eventdatastore/EXAMPLE-f852-4e8f",
      store: { eventDataStore: "EXAMPLE-f852-4e8f", region: "eu-west-1", accountId: "101010101010" },
    }],
    ["fixtures/sample/logs", { kind: "local", path: "fixtures/sample/logs" }],
  ])("%s", (value, expected) => {
    expect(parseSourceSpec(value)).toEqual(expected);
  });

  it.each([
    ["s3://", /is not an S3 bucket name/],
    ["s3://Trail_Bucket/x", /"Trail_Bucket" is not an S3 bucket name/],
    ["cloudtrail:", /name at least one region/],
    ["cloudtrail:eu-west-1,mars", /"mars" is not an AWS region name/],
    ["", /empty value/],
    // Checked here, before any local folder is walked or any credential is asked for.
    ["athena://cloudtrail.trail", /^--source athena:\/\/cloudtrail\.trail: athena source: partitioning=… is required/],
    ["athena://cloudtrail.trail?partitioning=projection:timestamp&color=red", /unknown key "color"/],
    ["lake://bad'id", /^--source lake:\/\/bad'id: .*does not name an event data store/],
  ])("rejects %j with one line", (value, message) => {
    expect(() => parseSourceSpec(value)).toThrow(SourceSpecError);
    expect(() => parseSourceSpec(value)).toThrow(message);
  });
});

describe("needsTimeHint", () => {
  it("is true for sources that are read by time and never scanned whole", () => {
    expect(["s3://bkt/", "athena://db.t?partitioning=none", "lake://eds", "cloudtrail", "logs/"].map((v) => needsTimeHint(parseSourceSpec(v))))
      .toEqual([true, true, true, false, false]);
  });
});
