import { describe, expect, it } from "vitest";
import { describeLogFilePath } from "../../../src/sources/local/log-file-facts.js";

const MINUTE = 60_000;

describe("describeLogFilePath", () => {
  it("reads an organization trail key (real shape from cloudtrail-facts §5.1)", () => {
    const facts = describeLogFilePath("/evidence/bucket/AWSLogs/o-f6ztlip47u/211125303337/CloudTrail/us-east-1/2024/05/31/"
      + "211125303337_CloudTrail_us-east-1_20240531T1830Z_qHtAe3jTVmOAXsfX.json.gz");
    expect(facts).toEqual({
      kind: "trail-log",
      accountId: "211125303337",
      region: "us-east-1",
      organizationId: "o-f6ztlip47u",
      delivery: { fromMs: Date.parse("2024-05-31T18:30:00Z"), toMs: Date.parse("2024-05-31T18:30:00Z") + MINUTE - 1 },
      notLogReason: null,
    });
  });

  it("reads an account trail key under a bucket prefix", () => {
    const facts = describeLogFilePath("sync/prefix/AWSLogs/111111111111/CloudTrail/eu-west-3/2026/11/17/"
      + "111111111111_CloudTrail_eu-west-3_20261117T1025Z_Ab12Cd34Ef56Gh78.json.gz");
    expect(facts.kind).toBe("trail-log");
    expect(facts.organizationId).toBeNull();
    expect([facts.accountId, facts.region]).toEqual(["111111111111", "eu-west-3"]);
    expect(facts.delivery?.fromMs).toBe(Date.parse("2026-11-17T10:25:00Z"));
  });

  it("reads a bare file name in a flat download folder, with or without .gz", () => {
    for (const name of [
      "downloads/222222222222_CloudTrail_us-west-2_20261117T0005Z_Zz9Yy8Xx7Ww6Vv5U.json.gz",
      "downloads/222222222222_CloudTrail_us-west-2_20261117T0005Z_Zz9Yy8Xx7Ww6Vv5U.json",
    ]) {
      const facts = describeLogFilePath(name);
      expect(facts).toMatchObject({ kind: "trail-log", accountId: "222222222222", region: "us-west-2" });
      expect(facts.delivery?.fromMs).toBe(Date.parse("2026-11-17T00:05:00Z"));
    }
  });

  it("treats regions as opaque strings (anonymised logs invent them)", () => {
    const facts = describeLogFilePath("AWSLogs/751353041310/CloudTrail/apiso-northsouth-3r/2024/07/30/"
      + "751353041310_CloudTrail_apiso-northsouth-3r_20240730T2140Z_0123456789abcdef.json.gz");
    expect(facts.region).toBe("apiso-northsouth-3r");
    expect(describeLogFilePath("x/333333333333_CloudTrail_us-north-2r_20240101T0000Z_abcd.json.gz").region).toBe("us-north-2r");
  });

  it("takes account, region and a whole-day delivery from key folders when the name is not CloudTrail's", () => {
    const facts = describeLogFilePath("AWSLogs/o-abcdefghij/444444444444/CloudTrail/ap-south-1/2026/02/28/renamed.json");
    expect(facts).toMatchObject({ kind: "trail-log", accountId: "444444444444", region: "ap-south-1", organizationId: "o-abcdefghij" });
    expect(facts.delivery).toEqual({
      fromMs: Date.parse("2026-02-28T00:00:00Z"), toMs: Date.parse("2026-03-01T00:00:00Z") - 1,
    });
  });

  it("knows nothing about other names, and rejects impossible dates", () => {
    expect(describeLogFilePath("exports/incident-42.json").kind).toBe("unknown");
    expect(describeLogFilePath("events.jsonl").kind).toBe("unknown");
    const badDate = describeLogFilePath("x/111111111111_CloudTrail_us-east-1_20240231T1000Z_abcd.json.gz");
    expect(badDate.kind).toBe("unknown");
    expect(badDate.delivery).toBeNull();
    // Calendar edges, judged as Date.UTC would round-trip them: leap years, month lengths, hour and minute ranges.
    const deliveredAt = (stamp: string) => describeLogFilePath(`x/111111111111_CloudTrail_us-east-1_${stamp}_abcd.json.gz`).delivery?.fromMs ?? null;
    for (const [stamp, iso] of [["20240229T1000Z", "2024-02-29T10:00:00Z"], ["20000229T0000Z", "2000-02-29T00:00:00Z"],
      ["20261231T2359Z", "2026-12-31T23:59:00Z"], ["20260430T0000Z", "2026-04-30T00:00:00Z"]] as const) {
      expect(deliveredAt(stamp), stamp).toBe(Date.parse(iso));
    }
    for (const stamp of ["20230229T1000Z", "21000229T1000Z", "20260431T1000Z", "20261301T1000Z", "20260001T1000Z",
      "20260100T1000Z", "20260101T2400Z", "20260101T2360Z", "00500101T1000Z"]) {
      expect(deliveredAt(stamp), stamp).toBeNull();
    }
    // 11 digits is not an account id; "o-" ids are 10–32 lower-case characters.
    expect(describeLogFilePath("x/11111111111_CloudTrail_us-east-1_20240101T1000Z_abcd.json.gz").kind).toBe("unknown");
    expect(describeLogFilePath("AWSLogs/o-SHORT/111111111111/CloudTrail/us-east-1/2024/01/01/f.json").kind).toBe("unknown");
  });

  it("recognises digest files by folder and by name", () => {
    expect(describeLogFilePath("AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/11/17/"
      + "111111111111_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261117T103512Z.json.gz").kind).toBe("digest");
    expect(describeLogFilePath("flat/111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_20261117T103512Z.json.gz").kind)
      .toBe("digest");
  });

  it("sets Insights and network-activity files apart", () => {
    expect(describeLogFilePath("AWSLogs/111111111111/CloudTrail-Insight/us-east-1/2026/11/17/x.json.gz").kind).toBe("insight");
    expect(describeLogFilePath("AWSLogs/111111111111/CloudTrail-NetworkActivity/us-east-1/2026/11/17/x.json.gz").kind)
      .toBe("network-activity");
  });

  it("marks names that are certainly not logs, and leaves .txt to content detection", () => {
    expect(describeLogFilePath("logs/README.md")).toMatchObject({ kind: "not-log", notLogReason: "not a log file (documentation)" });
    expect(describeLogFilePath("logs/cloudtrail-2026.tar.gz").notLogReason).toContain("extract it first");
    expect(describeLogFilePath("logs/saved-from-browser.txt").kind).toBe("unknown");
  });
});
