import { describe, expect, it } from "vitest";
import { FindingSchema, type Finding } from "../../src/schema/finding.js";
import { SweepReportSchema } from "../../src/schema/sweep-report.js";
import { findingToOcsf } from "../../src/report/finding-to-ocsf.js";
import { renderSweepOutput, type SweepOutput } from "../../src/report/render-finding-output.js";

const ESC = "\u001b";
const hostileSession = `ops${ESC}[2J${ESC}]0;owned\u0007\r\u202Etxt.exe`;

const inbound: Finding = {
  schema: "rolechain.finding/v1",
  id: "unexpected-cross-account-assume-role:3f1c2a3b-4d5e-4f60-8a7b-000000000001",
  kind: "unexpected-cross-account-assume-role",
  severity: "high",
  eventID: "3f1c2a3b-4d5e-4f60-8a7b-000000000001",
  sharedEventID: "3f1c2a3b-4d5e-4f60-8a7b-0000000000aa",
  eventName: "AssumeRole",
  eventTime: "2026-11-17T10:00:00Z",
  awsRegion: "eu-west-1",
  recipientAccountId: "111111111111",
  roleArn: "arn:aws:iam::111111111111:role/ops/Admin",
  roleAccountId: "111111111111",
  callerAccountId: "999999999999",
  callerArn: `arn:aws:sts::999999999999:assumed-role/jump/${hostileSession}`,
  callerType: "AssumedRole",
  sourceIPAddress: "203.0.113.9",
  userAgent: `aws-cli/2.17.0 ${ESC}[31mred`,
  reason: `Account 999999999999 assumed arn:aws:iam::111111111111:role/ops/Admin (session ${hostileSession}); not allowed.`,
  principals: [],
  webIdentity: null,
  trace: {
    complete: false, hops: 1, gaps: ["caller-account-logs-missing"],
    origin: {
      type: "AWSAccount", arn: null, accountId: "999999999999", principalId: null, accessKeyId: null, userName: null, sessionName: null,
      roleArn: null, identityProvider: null, invokedBy: null, mfaAuthenticated: null, sourceIdentity: null, webIdentitySubject: null,
      instanceId: null, sourceIPAddress: "203.0.113.9", userAgent: null, event: null,
    },
  },
};

const trustPolicy: Finding = {
  ...inbound,
  id: "trust-policy-external-principal:3f1c2a3b-4d5e-4f60-8a7b-000000000002",
  kind: "trust-policy-external-principal",
  severity: "critical",
  eventID: "3f1c2a3b-4d5e-4f60-8a7b-000000000002",
  sharedEventID: null,
  eventName: "UpdateAssumeRolePolicy",
  eventTime: "2026-11-17T11:00:00Z",
  awsRegion: "us-east-1",
  callerAccountId: "111111111111",
  callerArn: "arn:aws:iam::111111111111:user/mallory",
  callerType: "IAMUser",
  sourceIPAddress: "AWS Internal",
  reason: "The trust policy of Admin now admits any principal (*).",
  principals: [{ element: "Principal", kind: "*", value: "*", accountId: null, conditionKeys: [] }],
  trace: null,
};

const output: SweepOutput = {
  sources: ["local: /logs"],
  window: { from: "2026-11-16T12:00:00Z", to: "2026-11-17T12:00:00Z" },
  summary: { eventsScanned: 1234, candidateEvents: 40, findings: 3, newFindings: 2, suppressedAsAlreadyReported: 1, skippedFiles: 1 },
  findings: [inbound, trustPolicy],
  skipped: [{ location: "/logs/broken.json.gz", reason: "truncated gzip", effect: "skipped" }],
};
const context = { version: "0.1.0", columns: 140, fallbackTimeMs: 0 };

describe("sweep output formats", () => {
  it("jsonl: one rolechain.finding/v1 per line, exactly the schema", () => {
    const text = renderSweepOutput("jsonl", output, context);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const parsed = JSON.parse(line) as unknown;
      expect(FindingSchema.strict().parse(parsed)).toEqual(parsed);
    }
    // Logged values stay exact in JSON (escaped by JSON itself).
    expect(JSON.parse(lines[0]!).callerArn).toContain(hostileSession);
    expect(renderSweepOutput("jsonl", { ...output, findings: [] }, context)).toBe("");
  });

  it("json: the rolechain.sweep/v1 report", () => {
    const report = SweepReportSchema.parse(JSON.parse(renderSweepOutput("json", output, context)));
    expect(report.window).toEqual(output.window);
    expect(report.summary.suppressedAsAlreadyReported).toBe(1);
    expect(report.findings.map((f) => f.kind)).toEqual(["unexpected-cross-account-assume-role", "trust-policy-external-principal"]);
    expect(report.skipped).toEqual(output.skipped);
  });

  it("ocsf: one OCSF 1.1.0 Detection Finding per line", () => {
    const lines = renderSweepOutput("ocsf", output, context).trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [Record<string, any>, Record<string, any>];
    expect(first).toMatchObject({
      class_uid: 2004, class_name: "Detection Finding", category_uid: 2, category_name: "Findings",
      activity_id: 1, activity_name: "Create", type_uid: 200401, type_name: "Detection Finding: Create",
      severity_id: 4, severity: "High", status_id: 1, status: "New",
      time: Date.parse("2026-11-17T10:00:00Z"),
      message: inbound.reason,
      metadata: { version: "1.1.0", product: { name: "rolechain", vendor_name: "rolechain", version: "0.1.0" }, uid: inbound.id, original_time: "2026-11-17T10:00:00Z" },
      finding_info: {
        uid: inbound.id, desc: inbound.reason, types: ["unexpected-cross-account-assume-role"],
        first_seen_time: Date.parse("2026-11-17T10:00:00Z"), related_events: [{ uid: inbound.eventID }],
      },
      cloud: { provider: "AWS", region: "eu-west-1", account: { uid: "111111111111", type_id: 10 } },
      actor: { user: { uid: inbound.callerArn, type: "AssumedRole", account: { uid: "999999999999" } } },
      api: { operation: "AssumeRole", service: { name: "sts.amazonaws.com" } },
      resources: [{ uid: "arn:aws:iam::111111111111:role/ops/Admin", type: "AWS::IAM::Role", name: "Admin", cloud_partition: "aws" }],
      unmapped: { eventID: inbound.eventID, sharedEventID: inbound.sharedEventID, trace: inbound.trace, userAgent: inbound.userAgent },
    });
    expect(typeof first.finding_info.title).toBe("string");
    expect(first.evidences[0].src_endpoint).toEqual({ ip: "203.0.113.9" });
    // Detection Finding 1.1.0 has no top-level src_endpoint.
    expect(first).not.toHaveProperty("src_endpoint");
    expect(second).toMatchObject({ severity_id: 5, severity: "Critical", actor: { user: { name: "mallory", type_id: 1 } } });
    expect(second.evidences[0].src_endpoint).toEqual({ name: "AWS Internal" });
    expect(second.unmapped.principals).toEqual(trustPolicy.principals);
  });

  it("ocsf: a finding without a role or caller leaves those objects out", () => {
    const bare = findingToOcsf({ ...trustPolicy, roleArn: null, roleAccountId: null, callerArn: null, callerAccountId: null, callerType: null, sourceIPAddress: null, eventTime: null }, { version: "x" }, 42);
    expect(bare).not.toHaveProperty("resources");
    expect(bare).not.toHaveProperty("actor");
    expect(bare.time).toBe(42);
    expect(bare.cloud).toEqual({ provider: "AWS", region: "us-east-1", account: { uid: "111111111111", type: "AWS Account", type_id: 10 } });
  });

  it("table: strips control characters from attacker-controlled strings", () => {
    const text = renderSweepOutput("table", output, context);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\u0007");
    expect(text).not.toContain("\r");
    expect(text).not.toContain("\u202E");
    expect(text).toContain("\\u001b[2J");
    expect(text).toContain("┌");
    expect(text).toContain("HIGH");
    expect(text).toContain("unexpected-cross-account-assume-role");
    expect(text).toContain("trace INCOMPLETE: 1 hop(s), origin AWSAccount 999999999999 from 203.0.113.9; gaps caller-account-logs-missing");
    expect(text).toContain("2 new finding(s) in 2026-11-16T12:00:00Z … 2026-11-17T12:00:00Z; 1 already reported.");
    expect(text).toContain("Skipped   1 file(s)");
    for (const line of text.split("\n").filter((l) => /^[┌│└├]/.test(l))) expect(line.length).toBeLessThanOrEqual(140);
  });

  it("table: says so when there is nothing new", () => {
    const text = renderSweepOutput("table", { ...output, findings: [], skipped: [], summary: { ...output.summary, newFindings: 0, skippedFiles: 0 } }, context);
    expect(text).toBe("No new findings in 2026-11-16T12:00:00Z … 2026-11-17T12:00:00Z (1 already reported).\n");
  });
});
