import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import type { ScenariosFile } from "../../src/generator/expected-trace.js";
import { readCorpus, type Corpus, type TrailRecord } from "./helpers/read-corpus.js";
import { generateSmallCorpus } from "./helpers/shared-corpus.js";

const ORG_ACCOUNTS = ["101010101010", "111111111111", "222222222222", "333333333333", "444444444444"];
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const EXPIRATION = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let generated: GeneratedCorpus;
let corpus: Corpus;
let records: TrailRecord[];
let cleanup: () => void;

beforeAll(async () => {
  const made = await generateSmallCorpus(23);
  generated = made.corpus;
  cleanup = made.cleanup;
  corpus = readCorpus(generated.logsDir);
  records = corpus.logFiles.flatMap((f) => f.records);
});
afterAll(() => cleanup());

const identity = (r: TrailRecord) => (r["userIdentity"] ?? {}) as Record<string, unknown> & { sessionContext?: { attributes?: Record<string, unknown>; sourceIdentity?: string } };
const issued = (r: TrailRecord) => (r["responseElements"] as { credentials?: { accessKeyId: string; expiration: string }; assumedRoleUser?: { arn: string } } | null);

describe("organization trail layout", () => {
  it("writes gzip {\"Records\":[…]} files under AWSLogs/o-…/<account>/CloudTrail/<region>/YYYY/MM/DD", () => {
    expect(corpus.logFiles.length).toBe(generated.files);
    expect(records.length).toBe(generated.records);
    expect(corpus.logFiles.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0)).toBe(generated.uncompressedBytes);
    for (const file of corpus.logFiles) {
      expect(file.text.startsWith('{"Records":[')).toBe(true);
      expect(ORG_ACCOUNTS).toContain(file.accountId);
      expect(REGIONS).toContain(file.region);
      expect(file.datePath).toBe(new Date(file.stampMs).toISOString().slice(0, 10).replaceAll("-", "/"));
      for (const r of file.records) {
        expect(r.recipientAccountId).toBe(file.accountId);
        expect(r.awsRegion).toBe(file.region);
      }
    }
    expect(new Set(corpus.logFiles.map((f) => f.key.split("/")[1])).size).toBe(1);
    expect(new Set(corpus.logFiles.map((f) => `${f.accountId}/${f.region}`)).size).toBe(ORG_ACCOUNTS.length * REGIONS.length);
  });

  it("stamps every file at or after every event it holds (the key time is the delivery time)", () => {
    for (const file of corpus.logFiles) {
      for (const r of file.records) expect(file.stampMs >= Date.parse(r.eventTime), `${file.key} ${r.eventID}`).toBe(true);
    }
  });

  it("keeps scenarios.json outside logs/", () => {
    expect(dirname(generated.scenariosFile)).not.toBe(generated.logsDir);
    const file = JSON.parse(readFileSync(generated.scenariosFile, "utf8")) as ScenariosFile;
    expect(file.schema).toBe("rolechain.generator-scenarios/v1");
    expect(file.seed).toBe(23);
    expect(file.regions).toEqual(REGIONS);
    expect(file.accounts.filter((a) => !a.inLogs).map((a) => a.id).sort()).toEqual(["555555555555", "777777777777", "999999999999"]);
  });

  it("delivers a handful of exact duplicates (same eventID, same bytes) in different files", () => {
    const duplicated = [...corpus.byEventId.values()].filter((copies) => copies.length > 1);
    expect(duplicated.length).toBeGreaterThanOrEqual(3);
    expect(duplicated.length).toBeLessThan(40);
    for (const copies of duplicated) {
      expect(new Set(copies.map((c) => c.file.key)).size).toBe(copies.length);
      expect(new Set(copies.map((c) => JSON.stringify(c.record))).size).toBe(1);
    }
  });

  it("writes CloudTrail-Digest files with the real field set, hashing the uncompressed log files", () => {
    expect(corpus.digestFiles.length).toBeGreaterThanOrEqual(3);
    const byKey = new Map(corpus.logFiles.map((f) => [f.key, f]));
    let previous: string | null = null;
    for (const digest of corpus.digestFiles) {
      expect(Object.keys(digest.body)).toEqual([
        "awsAccountId", "digestStartTime", "digestEndTime", "digestS3Bucket", "digestS3Object", "digestPublicKeyFingerprint",
        "digestSignatureAlgorithm", "newestEventTime", "oldestEventTime", "previousDigestS3Bucket", "previousDigestS3Object",
        "previousDigestHashValue", "previousDigestHashAlgorithm", "previousDigestSignature", "logFiles",
      ]);
      expect(digest.body["digestS3Object"]).toBe(digest.key);
      expect(digest.body["previousDigestS3Object"]).toBe(previous);
      previous = digest.key;
      for (const entry of digest.body["logFiles"] as { s3Object: string; hashValue: string }[]) {
        const file = byKey.get(entry.s3Object);
        expect(file, entry.s3Object).toBeDefined();
        expect(createHash("sha256").update(file!.text).digest("hex")).toBe(entry.hashValue);
        expect(file!.accountId).toBe(digest.accountId);
      }
    }
    expect(existsSync(join(generated.logsDir, corpus.digestFiles[0]!.key))).toBe(true);
  });
});

describe("record realism", () => {
  it("fills CloudTrail's field set", () => {
    for (const r of records) {
      expect(r["eventVersion"]).toMatch(/^1\.\d{2}$/);
      expect(r.eventID).toMatch(UUID);
      expect(r.eventTime).toMatch(ISO_SECONDS);
      expect(["AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"]).toContain(r["eventType"]);
      expect(["Management", "Data"]).toContain(r["eventCategory"]);
      expect(typeof r["managementEvent"]).toBe("boolean");
      if (r["resources"]) for (const res of r["resources"] as Record<string, unknown>[]) expect(Object.keys(res)).toContain("ARN");
      if (r["errorCode"] !== undefined) expect(r["responseElements"]).toBeNull();
      const attributes = identity(r).sessionContext?.attributes;
      if (attributes?.["mfaAuthenticated"] !== undefined) expect(["true", "false"]).toContain(attributes["mfaAuthenticated"]);
      if (attributes?.["creationDate"] !== undefined) expect(attributes["creationDate"]).toMatch(ISO_SECONDS);
    }
  });

  it("logs STS the way CloudTrail does: AssumeRole* read-only, token calls not, human-format expirations, long tokens", () => {
    const sts = records.filter((r) => r["eventSource"] === "sts.amazonaws.com" && r.eventName !== "GetCallerIdentity");
    for (const r of sts) {
      expect(r["readOnly"], r.eventName).toBe(r.eventName.startsWith("AssumeRole"));
      const creds = issued(r)?.credentials;
      if (r["errorCode"] === undefined && creds) {
        expect(creds.expiration).toMatch(EXPIRATION);
        expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
        expect((creds as unknown as { sessionToken: string }).sessionToken.length).toBeGreaterThan(500);
      }
    }
    const names = new Set(sts.map((r) => r.eventName));
    for (const n of ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken", "GetSessionToken"]) expect(names).toContain(n);
    expect(new Set(sts.filter((r) => r.eventName === "AssumeRole").map((r) => r.awsRegion))).toEqual(new Set(REGIONS));
    const endpoints = new Set(sts.map((r) => (r["additionalEventData"] as { RequestDetails?: { endpointType: string } } | undefined)?.RequestDetails?.endpointType));
    expect(endpoints).toContain("global");
    expect(endpoints).toContain("regional");
  });

  it("mixes every kind of principal, including service events with no userIdentity.type", () => {
    const types = new Set(records.map((r) => identity(r)["type"] ?? "(none)"));
    for (const t of ["IAMUser", "AssumedRole", "Root", "FederatedUser", "SAMLUser", "WebIdentityUser", "AWSService", "AWSAccount", "IdentityCenterUser", "(none)"]) expect(types).toContain(t);
    expect(records.some((r) => identity(r)["type"] === "AWSService" && identity(r)["invokedBy"] === "ec2.amazonaws.com")).toBe(true);
    expect(records.some((r) => (identity(r).sessionContext as { ec2RoleDelivery?: string } | undefined)?.ec2RoleDelivery)).toBe(true);
    expect(records.some((r) => r.eventName === "ConsoleLogin")).toBe(true);
    expect(records.some((r) => r["errorCode"] === "AccessDenied")).toBe(true);
    expect(records.some((r) => r["sessionCredentialFromConsole"] === "true")).toBe(true);
    const crossAccount = records.filter((r) => r.eventName === "AssumeRole" && identity(r)["type"] === "AWSAccount" && ORG_ACCOUNTS.includes(identity(r)["accountId"] as string));
    expect(crossAccount.length).toBeGreaterThan(10);
    const shared = new Set(records.filter((r) => r.eventName === "AssumeRole" && identity(r)["type"] !== "AWSAccount").map((r) => r["sharedEventID"]));
    expect(crossAccount.filter((r) => shared.has(r["sharedEventID"])).length).toBeGreaterThan(10);
  });

  it("reuses session ARNs across callers and temporary key ids across unrelated sessions", () => {
    const assumes = records.filter((r) => r.eventName.startsWith("AssumeRole") && r["errorCode"] === undefined && issued(r)?.assumedRoleUser);
    const callersByArn = new Map<string, Set<string>>();
    const arnsByKey = new Map<string, Set<string>>();
    for (const r of assumes) {
      const arn = issued(r)!.assumedRoleUser!.arn;
      const who = String(identity(r)["principalId"] ?? identity(r)["invokedBy"]);
      callersByArn.set(arn, (callersByArn.get(arn) ?? new Set()).add(who));
      const key = issued(r)!.credentials!.accessKeyId;
      arnsByKey.set(key, (arnsByKey.get(key) ?? new Set()).add(arn));
    }
    expect([...callersByArn.values()].filter((s) => s.size > 1).length).toBeGreaterThanOrEqual(3);
    expect([...arnsByKey.values()].filter((s) => s.size > 1).length).toBeGreaterThanOrEqual(3);
  });
});
