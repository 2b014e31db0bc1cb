import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExpectedTrace } from "../../src/generator/expected-trace.js";
import { generateCorpus, type GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { TraceReportSchema } from "../../src/schema/trace-report.js";
import { accessKeyIdFor, startFakeCloudTrailServer, type FakeCloudTrailServer } from "../helpers/fake-cloudtrail-server.js";
import { startFakeStsServer, type FakeStsServer } from "../helpers/fake-sts-server.js";
import { runBuiltCli, runBuiltCliAsync } from "../helpers/run-cli.js";
import { readTrailRecords } from "../sources/cloudtrail-api/trail-records.js";
import { sourceIndependent } from "../helpers/source-independent-report.js";
import { sortedFindings } from "../helpers/sorted-findings.js";

// The built CLI with `--source cloudtrail:…`, as a responder would run it: base credentials from a
// profile, one profile per other account, one of them a role behind MFA (the code typed on stdin).
// The real SDK clients talk to a fake LookupEvents endpoint and a fake STS at the API's real
// 2 requests/s. Reports must equal the local source's on the same organisation trail.
const IDENTITY = "111111111111";
const PROD = "222222222222";
const MFA_SERIAL = `arn:aws:iam::${IDENTITY}:mfa/alice`;
const PROD_ROLE = `arn:aws:iam::${PROD}:role/IncidentResponder`;
const MFA_CODE = "123456";

let workDir: string;
let corpus: GeneratedCorpus;
let cloudTrail: FakeCloudTrailServer;
let sts: FakeStsServer;
let env: NodeJS.ProcessEnv;
let regions: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-ct-cli-"));
  corpus = await generateCorpus({ outDir: join(workDir, "corpus"), seed: 6161, targetBytes: 3 * 1024 * 1024 });
  const accounts = ["101010101010", IDENTITY, PROD, "333333333333", "444444444444"];
  sts = await startFakeStsServer({
    identities: Object.fromEntries(accounts.map((a) => [accessKeyIdFor(a), { account: a, arn: `arn:aws:iam::${a}:user/responder` }])),
    roles: { [PROD_ROLE]: { mfa: { serialNumber: MFA_SERIAL, tokenCode: MFA_CODE } } },
  });
  cloudTrail = await startFakeCloudTrailServer({
    records: await readTrailRecords(corpus.logsDir),
    nowMs: Date.now(),
    // Session keys from the MFA role assumption read the prod account.
    accountOfIssuedKey: (key) => sts.issued.find((i) => i.accessKeyId === key)?.roleArn.split(":")[4],
  });
  const configFile = join(workDir, "aws-config");
  const credentialsFile = join(workDir, "aws-credentials");
  writeFileSync(configFile, [
    "[profile base]", "region = us-east-1", "",
    "[profile prod-admin]", `role_arn = ${PROD_ROLE}`, "source_profile = base", `mfa_serial = ${MFA_SERIAL}`, "",
    ...accounts.filter((a) => a !== IDENTITY && a !== PROD).flatMap((a) => [`[profile acct-${a}]`, "region = us-east-1", ""]),
  ].join("\n"));
  writeFileSync(credentialsFile, accounts.filter((a) => a !== PROD).flatMap((a) => [
    `[${a === IDENTITY ? "base" : `acct-${a}`}]`, `aws_access_key_id = ${accessKeyIdFor(a)}`, "aws_secret_access_key = test-secret", "",
  ]).join("\n"));
  env = {
    HOME: workDir,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_STS: sts.url,
  };
  regions = (JSON.parse(readFileSync(corpus.scenariosFile, "utf8")) as { regions: string[] }).regions.join(",");
});

afterAll(async () => {
  await cloudTrail?.close();
  await sts?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function awsArgs(): string[] {
  return [
    "--source", `cloudtrail:${regions}`, "--endpoint-url", cloudTrail.url, "--profile", "base",
    "--account-profile", `${PROD}=prod-admin`,
    "--account-profile", "101010101010=acct-101010101010",
    "--account-profile", "333333333333=acct-333333333333",
    "--account-profile", "444444444444=acct-444444444444",
  ];
}

function scenario(name: string): ExpectedTrace {
  const found = corpus.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`generator no longer embeds ${name}`);
  return found;
}

describe("trace-role --source cloudtrail (LookupEvents through the real SDK)", () => {
  it("rebuilds a three-account SAML chain as the local source does, asking for the MFA code once", async () => {
    const subject = scenario("saml-multi-account");
    const local = runBuiltCli("cli.js", ["trace-role", "--source", corpus.logsDir, "--event-id", subject.subjectEventId, "--format", "json"]);
    const requestsBefore = cloudTrail.requests.length;

    const run = await runBuiltCliAsync("cli.js", ["trace-role", ...awsArgs(), "--event-id", subject.subjectEventId, "--format", "json"], env, `${MFA_CODE}\n`);

    expect(run.stderr).not.toMatch(/internal error|Error:/);
    expect(run.status, run.stderr).toBe(local.status);
    const viaApi = TraceReportSchema.parse(JSON.parse(run.stdout));
    const viaFiles = TraceReportSchema.parse(JSON.parse(local.stdout));
    expect(sourceIndependent(viaApi)).toEqual(sourceIndependent(viaFiles));
    expect(viaApi.hops).toHaveLength(subject.hops.length);
    expect(viaApi.complete).toBe(true);
    // The prompt went to stderr, once; STS saw the code with the profile's serial.
    expect(run.stderr.split(`MFA code for ${MFA_SERIAL}: `)).toHaveLength(2);
    const mfaCalls = sts.requests.filter((r) => r.action === "AssumeRole" && r.params["RoleArn"] === PROD_ROLE);
    expect(mfaCalls.length).toBeGreaterThanOrEqual(1);
    expect(mfaCalls.every((r) => r.params["SerialNumber"] === MFA_SERIAL && r.params["TokenCode"] === MFA_CODE)).toBe(true);
    // Every API call is counted in the report, and the fake saw exactly those.
    expect(viaApi.stats.filesRead).toBe(cloudTrail.requests.length - requestsBefore);
    expect(cloudTrail.requests.slice(requestsBefore).every((r) => r.outcome === "ok" || r.outcome === "ThrottlingException")).toBe(true);
  });

  it("a wrong MFA code leaves the prod account unreachable: the report says which account and why, no stack trace", async () => {
    const subject = scenario("saml-multi-account");
    const run = await runBuiltCliAsync("cli.js", ["trace-role", ...awsArgs(), "--event-id", subject.subjectEventId, "--format", "json"], env, "000000\n");

    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const report = TraceReportSchema.parse(JSON.parse(run.stdout));
    // The subject was made in prod: not found, and the search says prod was not among the accounts read.
    expect(run.status).toBe(4);
    expect(report.gaps[0]?.searched?.coverage.accounts).not.toContain(PROD);
    expect(report.skipped).toEqual([{ location: `cloudtrail:${PROD}`, reason: expect.stringMatching(new RegExp(`^account ${PROD} \\(profile prod-admin\\): the MFA code was rejected`)), effect: "skipped" }]);
    expect(run.stderr).toContain(`rolechain: cloudtrail:${PROD}: account ${PROD} (profile prod-admin): the MFA code was rejected`);
  });

  it("sweep through LookupEvents finds what the local sweep finds", async () => {
    const window = ["--since", "2026-11-16T00:00:00Z", "--until", "2026-11-18T00:00:00Z", "--config", corpus.sweepConfigFile, "--format", "jsonl"];
    const local = runBuiltCli("cli.js", ["sweep", "--source", corpus.logsDir, ...window]);
    const run = await runBuiltCliAsync("cli.js", ["sweep", ...awsArgs(), ...window], env, `${MFA_CODE}\n`);

    expect(run.status, run.stderr).toBe(local.status);
    expect(sortedFindings(run.stdout)).toEqual(sortedFindings(local.stdout));
    expect(sortedFindings(run.stdout)).toHaveLength(corpus.findings.length);
  });

  it("without any credentials the source is unreadable (exit 5) with one line saying so", async () => {
    const run = await runBuiltCliAsync("cli.js", ["trace-role", "--source", "cloudtrail:us-east-1", "--endpoint-url", cloudTrail.url, "--event-id", scenario("mfa-single-hop").subjectEventId],
      { ...env, AWS_CONFIG_FILE: join(workDir, "missing-config"), AWS_SHARED_CREDENTIALS_FILE: join(workDir, "missing-credentials") });
    expect(run.status).toBe(5);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^rolechain: cannot read source cloudtrail:us-east-1: .*credentials/i);
  });
});
