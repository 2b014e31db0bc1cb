import type { ExpectedFinding } from "../../../src/generator/expected-finding.js";
import type { SweepConfig } from "../../../src/schema/sweep-config.js";
import type { Corpus, TrailRecord } from "./read-corpus.js";

/**
 * An independent, deliberately plain implementation of the five sweep rules over the raw records,
 * used to prove the generator's expected findings are exactly what the logs and the config say,
 * whatever the noise around them. Shares no code with the generator or with src/core/sweep.
 */
export type FindingFields = Omit<ExpectedFinding, "scenario" | "story">;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** `*` matches any run of characters; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(value);
}

const requestOf = (r: TrailRecord): Json => obj(r["requestParameters"]);
const accountOfArn = (arn: string): string | null => /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? null;

export function referenceSweep(corpus: Corpus, config: SweepConfig): FindingFields[] {
  const trusted = new Set(config.trustedAccounts);
  const allowed = (account: string, roleArn: string | null) => config.allow.some((a) => a.callerAccount === account && roleArn !== null && globMatches(a.roleArn, roleArn));
  const records: TrailRecord[] = [];
  const seen = new Set<string>();
  for (const file of corpus.logFiles) {
    for (const r of file.records) {
      if (!seen.has(r.eventID)) records.push(r);
      seen.add(r.eventID);
    }
  }
  const findings: FindingFields[] = [];
  const add = (kind: FindingFields["kind"], r: TrailRecord, roleArn: string | null, callerAccountId: string | null) => findings.push({
    kind, eventID: r.eventID, sharedEventID: str(r["sharedEventID"]), roleArn, callerAccountId, eventTime: r.eventTime,
  });
  const reportedCalls = new Set<string>();
  // UpdateAssumeRolePolicy names the role only: its ARN (with the IAM path) is what other successful calls show.
  const roleArns = new Map<string, string>();
  for (const r of records) {
    if (r["errorCode"] !== undefined) continue;
    const arn = r.eventName === "CreateRole" ? str(obj(obj(r["responseElements"])["role"])["arn"])
      : r.eventName.startsWith("AssumeRole") ? str(requestOf(r)["roleArn"]) : null;
    const m = arn ? /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
    if (m) roleArns.set(`${m[1]}/${m[2]!.toLowerCase()}`, arn!);
  }

  for (const r of records) {
    const identity = obj(r["userIdentity"]);
    const request = obj(r["requestParameters"]);
    const failed = r["errorCode"] !== undefined;
    if (r.eventName === "AssumeRole") {
      if (identity["type"] === "AWSService") continue;
      const roleArn = str(request["roleArn"]);
      const roleAccount = roleArn ? accountOfArn(roleArn) : null;
      const caller = str(identity["accountId"]);
      if (!roleArn || !roleAccount || !caller || caller === roleAccount) continue;
      if (trusted.has(roleAccount)) {
        if (failed || trusted.has(caller) || allowed(caller, roleArn)) continue;
        // One per call: the role owner's copy (the caller's copy cannot be here, its account is not the org's).
        const call = str(r["sharedEventID"]) ?? r.eventID;
        if (r.recipientAccountId !== roleAccount || reportedCalls.has(call)) continue;
        reportedCalls.add(call);
        add("unexpected-cross-account-assume-role", r, roleArn, caller);
      } else if (trusted.has(caller) && r.recipientAccountId === caller && !allowed(caller, roleArn)) {
        add("outbound-cross-account-assume-role", r, roleArn, caller);
      }
    } else if (r.eventName === "AssumeRoleWithWebIdentity" && !failed) {
      const response = obj(r["responseElements"]);
      const providerArn = str(response["provider"]) ?? str(identity["identityProvider"]) ?? "";
      const provider = providerArn.includes("oidc-provider/") ? providerArn.split("oidc-provider/")[1]! : providerArn;
      const subject = str(response["subjectFromWebIdentityToken"]) ?? str(identity["userName"]) ?? "";
      const roleArn = str(request["roleArn"]) ?? "";
      const admitted = config.webIdentity.some((w) => w.provider === provider && globMatches(w.subject, subject) && globMatches(w.roleArn, roleArn));
      if (!admitted) add("web-identity-unexpected-subject", r, roleArn, null);
    } else if ((r.eventName === "CreateRole" || r.eventName === "UpdateAssumeRolePolicy") && !failed && trusted.has(r.recipientAccountId)) {
      const text = str(request["assumeRolePolicyDocument"]) ?? str(request["policyDocument"]);
      if (!text) continue;
      const roleArn = r.eventName === "CreateRole"
        ? str(obj(obj(r["responseElements"])["role"])["arn"])
        : roleArns.get(`${r.recipientAccountId}/${String(request["roleName"]).toLowerCase()}`) ?? `arn:aws:iam::${r.recipientAccountId}:role/${str(request["roleName"])}`;
      let external = false;
      let unconstrained = false;
      for (const statement of list(obj(JSON.parse(text))["Statement"]).map(obj)) {
        if (statement["Effect"] !== "Allow") continue;
        const principal = statement["Principal"];
        const aws = principal === "*" ? ["*"] : list(obj(principal)["AWS"]).map(String);
        for (const p of aws) {
          const account = p === "*" ? null : /^\d{12}$/.test(p) ? p : accountOfArn(p);
          if (account === null || (!trusted.has(account) && !allowed(account, roleArn))) external = true;
        }
        const conditionKeys = Object.values(obj(statement["Condition"])).flatMap((block) => Object.keys(obj(block)));
        for (const f of list(obj(principal)["Federated"]).map(String)) {
          if (!f.includes("oidc-provider/")) continue;
          const host = f.split("oidc-provider/")[1]!;
          if (!conditionKeys.includes(`${host}:sub`)) unconstrained = true;
        }
      }
      const changer = str(identity["accountId"]);
      if (external) add("trust-policy-external-principal", r, roleArn, changer);
      if (unconstrained) add("trust-policy-unconstrained-web-identity", r, roleArn, changer);
    }
  }
  return findings.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0));
}

export function findingFields(f: ExpectedFinding): FindingFields {
  const { scenario: _scenario, story: _story, ...fields } = f;
  return fields;
}
