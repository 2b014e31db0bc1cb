import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceReportSchema } from "../../src/schema/trace-report.js";
import { runBuiltCli } from "../helpers/run-cli.js";

// Flags, exit codes, output formats and hostile input, through the built CLI.
const ESC = "\u001b";
const hostileSession = `evil${ESC}[2J${ESC}]0;pwned\u0007\r\u202Egnp.exe`;
const sessionArn = `arn:aws:sts::222222222222:assumed-role/deploy/${hostileSession}`;

const assumeRole = {
  eventVersion: "1.08", eventTime: "2026-11-17T10:00:00Z", eventSource: "sts.amazonaws.com", eventName: "AssumeRole",
  awsRegion: "us-east-1", sourceIPAddress: "198.51.100.23", userAgent: `aws-cli/2.15.0 ${ESC}[31mred`,
  userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLEUSER00001", arn: "arn:aws:iam::222222222222:user/mallory", accountId: "222222222222", accessKeyId: "AKIAEXAMPLEKEY000001", userName: "mallory" },
  requestParameters: { roleArn: "arn:aws:iam::222222222222:role/deploy", roleSessionName: hostileSession },
  responseElements: {
    credentials: { accessKeyId: "ASIAEXAMPLESESSION01", sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE", expiration: "Nov 17, 2026, 11:00:00 AM" },
    assumedRoleUser: { assumedRoleId: `AROAEXAMPLEROLE00001:${hostileSession}`, arn: sessionArn },
  },
  requestID: "8f1c0b7e-0000-4000-8000-000000000001", eventID: "8f1c0b7e-0000-4000-8000-0000000000a1",
  readOnly: true, eventType: "AwsApiCall", managementEvent: true, recipientAccountId: "222222222222",
};
const subject = {
  eventVersion: "1.08", eventTime: "2026-11-17T10:05:00Z", eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey",
  awsRegion: "us-east-1", sourceIPAddress: "198.51.100.23", userAgent: "aws-cli/2.15.0",
  userIdentity: {
    type: "AssumedRole", principalId: `AROAEXAMPLEROLE00001:${hostileSession}`, arn: sessionArn, accountId: "222222222222",
    accessKeyId: "ASIAEXAMPLESESSION01",
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: "AROAEXAMPLEROLE00001", arn: "arn:aws:iam::222222222222:role/deploy", accountId: "222222222222", userName: "deploy" },
      attributes: { creationDate: "2026-11-17T10:00:00Z", mfaAuthenticated: "false" },
    },
  },
  requestParameters: { userName: "backdoor" }, responseElements: null,
  requestID: "8f1c0b7e-0000-4000-8000-000000000002", eventID: "8f1c0b7e-0000-4000-8000-0000000000b2",
  readOnly: false, eventType: "AwsApiCall", managementEvent: true, recipientAccountId: "222222222222",
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rolechain-cli-"));
  const logs = join(dir, "AWSLogs", "222222222222", "CloudTrail", "us-east-1", "2026", "11", "17");
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, "222222222222_CloudTrail_us-east-1_20261117T1005Z_abcdefghijklmnop.json.gz"), gzipSync(JSON.stringify({ Records: [assumeRole, subject] })));
  writeFileSync(join(logs, "222222222222_CloudTrail_us-east-1_20261117T1010Z_truncatedtruncat.json.gz"), gzipSync(JSON.stringify({ Records: [subject] })).subarray(0, 40));
  writeFileSync(join(dir, "notes.json"), "this is not json");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = () => ["trace-role", "--source", dir, "--event-id", subject.eventID];

describe("rolechain trace-role (built CLI)", () => {
  it("prints JSON when stdout is not a terminal, and exits 0 for a complete chain", () => {
    const run = runBuiltCli("cli.js", args());
    expect(run.status).toBe(0);
    const report = TraceReportSchema.parse(JSON.parse(run.stdout));
    expect(report.hops[0]?.assumeRole.eventID).toBe(assumeRole.eventID);
    expect(report.origin?.arn).toBe("arn:aws:iam::222222222222:user/mallory");
    // JSON keeps the logged value exactly (escaped by JSON itself).
    expect(report.hops[0]?.session.sessionName).toBe(hostileSession);
  });

  it("reports each bad file once on stderr, lists it in the report, and still completes", () => {
    const run = runBuiltCli("cli.js", args());
    const report = TraceReportSchema.parse(JSON.parse(run.stdout));
    const locations = report.skipped.map((s) => s.location).sort();
    expect(locations).toEqual([expect.stringMatching(/_truncatedtruncat\.json\.gz$/), expect.stringMatching(/notes\.json$/)]);
    expect(run.stderr.split("\n").filter((l) => l.includes("truncatedtruncat")).length).toBe(1);
    expect(run.stderr.split("\n").filter((l) => l.includes("notes.json")).length).toBe(1);
  });

  it("the table strips control characters from attacker-controlled strings", () => {
    const run = runBuiltCli("cli.js", [...args(), "--format", "table"]);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain("\u0007");
    expect(run.stdout).not.toContain("\r");
    expect(run.stdout).not.toContain("\u202E");
    expect(run.stdout).toContain("\\u001b[2J");
    expect(run.stdout).toContain("IAMUser");
    expect(run.stdout).toContain("198.51.100.23");
  });

  it("usage errors exit 2 with one line naming the problem", () => {
    const missing = runBuiltCli("cli.js", ["trace-role", "--source", dir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/event-id/);
    const badDuration = runBuiltCli("cli.js", [...args(), "--lookback", "forever"]);
    expect(badDuration.status).toBe(2);
    expect(badDuration.stderr).toMatch(/--lookback: "forever"/);
    const badAt = runBuiltCli("cli.js", [...args(), "--at", "yesterday"]);
    expect(badAt.status).toBe(2);
    const unknownFlag = runBuiltCli("cli.js", [...args(), "--frobnicate"]);
    expect(unknownFlag.status).toBe(2);
    const noCommand = runBuiltCli("cli.js", []);
    expect(noCommand.status).toBe(2);
  });

  it("a --source that does not exist exits 5 and names it", () => {
    const run = runBuiltCli("cli.js", ["trace-role", "--source", join(dir, "no-such-dir"), "--event-id", subject.eventID]);
    expect(run.status).toBe(5);
    expect(run.stderr).toContain("no-such-dir");
    expect(run.stdout).toBe("");
  });

  it("an incomplete chain exits 3", () => {
    const only = join(mkdtempSync(join(tmpdir(), "rolechain-cli-only-")), "only-subject.json");
    writeFileSync(only, JSON.stringify({ Records: [subject] }));
    const run = runBuiltCli("cli.js", ["trace-role", "--source", only, "--event-id", subject.eventID]);
    expect(run.status).toBe(3);
    expect(TraceReportSchema.parse(JSON.parse(run.stdout)).gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
  });

  it("--help is fast to produce and lists the flags", () => {
    const run = runBuiltCli("cli.js", ["trace-role", "--help"]);
    expect(run.status).toBe(0);
    for (const flag of ["--event-id", "--source", "--format", "--lookback", "--at", "--delivery-slack"]) expect(run.stdout).toContain(flag);
  });
});
