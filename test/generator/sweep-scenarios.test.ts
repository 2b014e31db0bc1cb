import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExpectedFinding } from "../../src/generator/expected-finding.js";
import type { ScenariosFile } from "../../src/generator/expected-trace.js";
import type { GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { SweepConfigSchema, type SweepConfig } from "../../src/schema/sweep-config.js";
import { only, readCorpus, type Corpus, type TrailRecord } from "./helpers/read-corpus.js";
import { findingFields, referenceSweep } from "./helpers/reference-sweep.js";
import { generateSmallCorpus } from "./helpers/shared-corpus.js";

const SEEDS = [11, 31, 977];
const ORG = ["101010101010", "111111111111", "222222222222", "333333333333", "444444444444"];
/** Findings per scenario in every corpus; every other scenario and the background must produce none. */
const FINDINGS_PER_SCENARIO: Record<string, Partial<Record<ExpectedFinding["kind"], number>>> = {
  "github-actions-oidc": { "trust-policy-external-principal": 1 },
  "sweep-vendor-wrong-role": { "unexpected-cross-account-assume-role": 1 },
  "sweep-never-seen-account": { "unexpected-cross-account-assume-role": 1 },
  "sweep-outbound-unknown-account": { "outbound-cross-account-assume-role": 2 },
  "sweep-trust-policy-outside-principal": { "trust-policy-external-principal": 2 },
  "sweep-github-oidc-unconstrained": { "trust-policy-unconstrained-web-identity": 1 },
  "sweep-github-oidc-unexpected-subject": { "web-identity-unexpected-subject": 1 },
};

interface Made {
  generated: GeneratedCorpus;
  corpus: Corpus;
  /** Every record once (by eventID). */
  records: TrailRecord[];
  cleanup: () => void;
}
const made = new Map<number, Made>();

beforeAll(async () => {
  for (const seed of SEEDS) {
    const { corpus: generated, cleanup } = await generateSmallCorpus(seed, 1536 * 1024);
    const corpus = readCorpus(generated.logsDir);
    // One of each record: exact duplicates (same eventID, another file) are the sweep's to drop, not the tests'.
    const records = [...corpus.byEventId.values()].map((copies) => copies[0]!.record);
    made.set(seed, { generated, corpus, records, cleanup });
  }
});
afterAll(() => { for (const m of made.values()) m.cleanup(); });

const first = (): Made => made.get(SEEDS[0]!)!;
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const identity = (r: TrailRecord) => obj(r["userIdentity"]);
const request = (r: TrailRecord) => obj(r["requestParameters"]);
const findingsOf = (m: Made, scenario: string) => m.generated.findings.filter((f) => f.scenario === scenario);
const isFinding = (m: Made, r: TrailRecord) => m.generated.findings.some((f) => f.eventID === r.eventID);

describe("sweep expectations", () => {
  it.each(SEEDS)("are exactly what a plain reference sweep finds over the whole corpus (seed %i)", (seed) => {
    const m = made.get(seed)!;
    const config = SweepConfigSchema.parse(JSON.parse(readFileSync(m.generated.sweepConfigFile, "utf8")));
    expect(referenceSweep(m.corpus, config)).toEqual(m.generated.findings.map(findingFields));
  });

  it.each(SEEDS)("come from the scenarios that embed them, one per event and kind, sorted (seed %i)", (seed) => {
    const m = made.get(seed)!;
    const counts: Record<string, Record<string, number>> = {};
    for (const f of m.generated.findings) {
      counts[f.scenario] ??= {};
      counts[f.scenario]![f.kind] = (counts[f.scenario]![f.kind] ?? 0) + 1;
      expect(f.story.length, f.eventID).toBeGreaterThan(20);
    }
    expect(counts).toEqual(FINDINGS_PER_SCENARIO);
    expect(new Set(m.generated.findings.map((f) => `${f.kind}|${f.eventID}`)).size).toBe(m.generated.findings.length);
    const keys = m.generated.findings.map((f) => `${f.eventTime}|${f.eventID}`);
    expect(keys).toEqual([...keys].sort());
    const file = JSON.parse(readFileSync(m.generated.scenariosFile, "utf8")) as ScenariosFile;
    expect(file.findings).toEqual(m.generated.findings);
    expect(file.scenarios.map((s) => s.name)).not.toContain("sweep-allowed-vendor");
  });

  it("come with a valid sweep config: the org's accounts, the vendor's one role, the org's GitHub repositories", () => {
    const { generated } = first();
    const raw = JSON.parse(readFileSync(generated.sweepConfigFile, "utf8")) as SweepConfig;
    const config = SweepConfigSchema.parse(raw);
    expect(config).toEqual(raw);
    expect(config).toEqual(generated.sweepConfig);
    const file = JSON.parse(readFileSync(generated.scenariosFile, "utf8")) as ScenariosFile;
    expect([...config.trustedAccounts].sort()).toEqual(file.accounts.filter((a) => a.inLogs).map((a) => a.id).sort());
    expect(config.allow.map(({ callerAccount, roleArn }) => ({ callerAccount, roleArn }))).toEqual([{ callerAccount: "999999999999", roleArn: "arn:aws:iam::*:role/external/vendor-monitoring" }]);
    expect(config.webIdentity[0]).toMatchObject({ provider: "token.actions.githubusercontent.com", subject: "repo:example-org/infra:*", roleArn: "arn:aws:iam::*:role/ci/github-actions-deploy" });
    for (const w of config.webIdentity) expect(w.subject).toMatch(/^repo:example-org\/[a-z-]+:\*$/);
    expect(config.overlap).toBe("1h");
    expect(file.accounts.filter((a) => !a.inLogs).map((a) => a.id).sort()).toEqual(["555555555555", "777777777777", "999999999999"]);
  });

  it.each(SEEDS)("point at records holding what each finding says (seed %i)", (seed) => {
    const m = made.get(seed)!;
    for (const f of m.generated.findings) {
      const { record } = only(m.corpus, f.eventID);
      expect(record.eventTime, f.scenario).toBe(f.eventTime);
      expect(record["sharedEventID"] ?? null, f.scenario).toBe(f.sharedEventID);
      expect(record["errorCode"] === undefined || f.kind === "outbound-cross-account-assume-role", f.scenario).toBe(true);
      if (f.kind === "unexpected-cross-account-assume-role") {
        // The role owner's copy, and the only copy: the caller's account is not the org's.
        expect(record.recipientAccountId).toBe(f.roleArn!.split(":")[4]);
        expect(identity(record)).toMatchObject({ type: "AWSAccount", accountId: f.callerAccountId });
        expect(m.records.filter((r) => r["sharedEventID"] === f.sharedEventID).map((r) => r.eventID)).toEqual([f.eventID]);
      }
      if (f.kind === "outbound-cross-account-assume-role") {
        expect(record.recipientAccountId).toBe(f.callerAccountId);
        expect(identity(record)).toMatchObject({ type: "IAMUser", userName: "grace" });
        expect(f.roleArn).toMatch(/^arn:aws:iam::777777777777:role\//);
      }
      if (f.kind === "web-identity-unexpected-subject") {
        expect(identity(record)).toMatchObject({ type: "WebIdentityUser", userName: "repo:attacker/fork:ref:refs/heads/main" });
        expect(request(record)["roleArn"]).toBe(f.roleArn);
      }
      if (f.kind.startsWith("trust-policy-")) {
        expect(["CreateRole", "UpdateAssumeRolePolicy"]).toContain(record.eventName);
        expect(identity(record)["accountId"]).toBe(f.callerAccountId);
        if (record.eventName === "UpdateAssumeRolePolicy") {
          // The record names the role only; its ARN (with the path) is what the role's AssumeRoles show.
          expect(f.roleArn).toMatch(new RegExp(`^arn:aws:iam::${record.recipientAccountId}:role/(.*/)?${String(request(record)["roleName"])}$`));
          // …and one such AssumeRole comes at most 15 minutes before it, so any sweep window with the change can know the path.
          const at = Date.parse(f.eventTime);
          expect(m.records.some((r) => r.eventName === "AssumeRole" && r["errorCode"] === undefined && request(r)["roleArn"] === f.roleArn
            && Date.parse(r.eventTime) <= at && Date.parse(r.eventTime) >= at - 15 * 60_000), f.roleArn!).toBe(true);
        }
      }
    }
    expect(m.corpus.logFiles.some((f) => !ORG.includes(f.accountId))).toBe(false);
  });
});

describe("sweep scenario records", () => {
  it("logs CreateRole and UpdateAssumeRolePolicy as IAM does: a policy JSON string, the created role URL-encoded, nothing else", () => {
    for (const m of made.values()) {
      const iam = m.records.filter((r) => r.eventName === "CreateRole" || r.eventName === "UpdateAssumeRolePolicy");
      expect(iam.filter((r) => r.eventName === "CreateRole").length).toBeGreaterThanOrEqual(5);
      expect(iam.filter((r) => r.eventName === "UpdateAssumeRolePolicy").length).toBeGreaterThanOrEqual(3);
      for (const r of iam) {
        expect(r).toMatchObject({ eventSource: "iam.amazonaws.com", awsRegion: "us-east-1", readOnly: false, managementEvent: true });
        expect(r["resources"]).toBeUndefined();
        const text = (r.eventName === "CreateRole" ? request(r)["assumeRolePolicyDocument"] : request(r)["policyDocument"]) as string;
        expect(typeof text).toBe("string");
        expect(JSON.parse(text)).toMatchObject({ Version: "2012-10-17", Statement: expect.any(Array) });
        if (r.eventName === "UpdateAssumeRolePolicy") {
          expect(Object.keys(request(r)).sort()).toEqual(["policyDocument", "roleName"]);
          expect(r["responseElements"]).toBeNull();
          continue;
        }
        const role = obj(obj(r["responseElements"])["role"]);
        const { roleName, path } = request(r) as { roleName: string; path: string };
        expect(role).toMatchObject({ roleName, path, arn: `arn:aws:iam::${r.recipientAccountId}:role${path}${roleName}`, roleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/) });
        expect(decodeURIComponent(role["assumeRolePolicyDocument"] as string)).toBe(text);
        expect(role["createDate"]).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
      }
    }
  });

  it("makes ProdAdmin's trust-policy change come before 555555555555 assumes ProdAdmin", () => {
    for (const m of made.values()) {
      const change = m.generated.findings.find((f) => f.scenario === "github-actions-oidc")!;
      const assume = findingsOf(m, "sweep-never-seen-account")[0]!;
      const policy = JSON.parse(request(only(m.corpus, change.eventID).record)["policyDocument"] as string) as { Statement: { Principal: { AWS: string[] } }[] };
      expect(policy.Statement[0]!.Principal.AWS).toContain("arn:aws:iam::555555555555:root");
      expect(change.roleArn).toBe("arn:aws:iam::222222222222:role/admin/ProdAdmin");
      expect(Date.parse(assume.eventTime)).toBeGreaterThan(Date.parse(change.eventTime));
      expect(assume.roleArn).toBe("arn:aws:iam::222222222222:role/admin/ProdAdmin");
      // The session it issued is used in prod.
      const issued = only(m.corpus, assume.eventID).record;
      const arn = (obj(issued["responseElements"])["assumedRoleUser"] as { arn: string }).arn;
      expect(m.records.filter((r) => identity(r)["arn"] === arn).length).toBeGreaterThanOrEqual(3);
    }
  });

  it("delivers the vendor's data-export AssumeRole late, but within the config's 1 h overlap", () => {
    for (const m of made.values()) {
      const f = findingsOf(m, "sweep-vendor-wrong-role")[0]!;
      const { record, file } = only(m.corpus, f.eventID);
      expect(request(record)["roleArn"]).toBe("arn:aws:iam::222222222222:role/data-export");
      const lateMs = file.stampMs - Date.parse(record.eventTime);
      expect(lateMs).toBeGreaterThanOrEqual(40 * 60_000);
      expect(lateMs).toBeLessThan(60 * 60_000);
    }
  });

  it("logs the outbound calls only in the caller's account: the success with a sharedEventID, the denial with AccessDenied", () => {
    for (const m of made.values()) {
      const [success, denied] = findingsOf(m, "sweep-outbound-unknown-account").map((f) => only(m.corpus, f.eventID).record);
      expect(success!["errorCode"]).toBeUndefined();
      expect(success!["sharedEventID"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(obj(success!["responseElements"])["credentials"]).toBeDefined();
      expect(denied).toMatchObject({ errorCode: "AccessDenied", responseElements: null, recipientAccountId: "111111111111" });
      expect(denied!["sharedEventID"]).toBeUndefined();
      expect(denied!["errorMessage"]).toContain("arn:aws:iam::777777777777:role/OrganizationAccountAccessRole");
    }
  });

  it("lets the vendor into vendor-monitoring in prod and dev many times, none of them a finding", () => {
    for (const m of made.values()) {
      const vendor = m.records.filter((r) => r.eventName === "AssumeRole" && identity(r)["accountId"] === "999999999999");
      const allowed = vendor.filter((r) => /:role\/external\/vendor-monitoring$/.test(request(r)["roleArn"] as string));
      expect(new Set(allowed.map((r) => r.recipientAccountId))).toEqual(new Set(["222222222222", "444444444444"]));
      expect(allowed.length).toBeGreaterThanOrEqual(5);
      expect(allowed.filter((r) => isFinding(m, r))).toEqual([]);
      expect(vendor.filter((r) => isFinding(m, r)).length).toBe(1);
    }
  });

  it("has plenty of org-internal cross-account calls, both copies, all regions, both endpoints, and no finding among them", () => {
    for (const m of made.values()) {
      const calls = new Map<string, TrailRecord[]>();
      for (const r of m.records) {
        if (r.eventName !== "AssumeRole" || identity(r)["type"] === "AWSService" || typeof r["sharedEventID"] !== "string") continue;
        const roleAccount = (request(r)["roleArn"] as string).split(":")[4]!;
        if (!ORG.includes(roleAccount) || !ORG.includes(identity(r)["accountId"] as string)) continue;
        calls.set(r["sharedEventID"] as string, [...(calls.get(r["sharedEventID"] as string) ?? []), r]);
      }
      const pairs = [...calls.values()].filter((copies) => new Set(copies.map((c) => c.recipientAccountId)).size === 2);
      expect(pairs.length).toBeGreaterThanOrEqual(20);
      expect(new Set(pairs.map((p) => p[0]!.awsRegion))).toEqual(new Set(["us-east-1", "eu-west-1", "ap-southeast-2"]));
      expect(new Set(pairs.map((p) => (obj(p[0]!["additionalEventData"])["RequestDetails"] as { endpointType?: string } | undefined)?.endpointType))).toEqual(new Set(["global", "regional", undefined]));
      expect(new Set(pairs.map((p) => identity(p.find((c) => identity(c)["type"] !== "AWSAccount")!)["type"]))).toEqual(new Set(["IAMUser", "AssumedRole"]));
      expect(pairs.flat().filter((r) => isFinding(m, r))).toEqual([]);
      // The management account's Identity Center admin reaching into dev is among them.
      expect(pairs.some((p) => p.some((c) => c.recipientAccountId === "101010101010") && p.some((c) => c.recipientAccountId === "444444444444"))).toBe(true);
    }
  });

  it("has EC2 and Lambda AssumeRoles carrying a sharedEventID, none of them a finding", () => {
    for (const m of made.values()) {
      const service = m.records.filter((r) => r.eventName === "AssumeRole" && identity(r)["type"] === "AWSService" && typeof r["sharedEventID"] === "string");
      expect(new Set(service.map((r) => identity(r)["invokedBy"]))).toEqual(new Set(["ec2.amazonaws.com", "lambda.amazonaws.com"]));
      expect(service.filter((r) => isFinding(m, r))).toEqual([]);
    }
  });

  it("keeps GitHub runs of the org's repositories (infra among them) out of the findings, and the fork's run in", () => {
    for (const m of made.values()) {
      const runs = m.records.filter((r) => r.eventName === "AssumeRoleWithWebIdentity");
      const infra = runs.filter((r) => (identity(r)["userName"] as string).startsWith("repo:example-org/infra:"));
      expect(infra.length).toBeGreaterThanOrEqual(2);
      expect(runs.filter((r) => isFinding(m, r)).map((r) => identity(r)["userName"])).toEqual(["repo:attacker/fork:ref:refs/heads/main"]);
    }
  });

  it("changes trust policies in the security account naming only trusted principals, with no finding", () => {
    for (const m of made.values()) {
      const changes = m.records.filter((r) => (r.eventName === "CreateRole" || r.eventName === "UpdateAssumeRolePolicy") && r.recipientAccountId === "333333333333");
      expect(changes.map((r) => request(r)["roleName"]).sort()).toEqual(["cross-account-reader", "log-archive-reader", "vendor-monitoring"]);
      expect(changes.filter((r) => isFinding(m, r))).toEqual([]);
      const vendorRole = changes.find((r) => request(r)["roleName"] === "vendor-monitoring")!;
      expect(request(vendorRole)["assumeRolePolicyDocument"]).toContain('"sts:ExternalId"');
    }
  });
});
