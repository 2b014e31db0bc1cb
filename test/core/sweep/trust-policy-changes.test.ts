import { describe, expect, it } from "vitest";
import { createRoleEvent, crossAccountAssumeRole, updateAssumeRolePolicyEvent } from "../../helpers/cloudtrail-records.js";
import {
  GITHUB_PROVIDER, ORG_A, ORG_B, PROD_ADMIN, STRANGER, T0, VENDOR, detect, id, sessionOf, sweepConfig, user,
} from "./sweep-fixtures.js";

const ADMIN = user(ORG_B, "admin");

function trust(...statements: Array<Record<string, unknown>>) {
  return { Version: "2012-10-17", Statement: statements.map((s) => ({ Effect: "Allow", Action: "sts:AssumeRole", ...s })) };
}

const update = (label: string, roleName: string, policy: unknown, accountId = ORG_B) =>
  updateAssumeRolePolicyEvent({ actor: user(accountId, "admin"), accountId, roleName, policy, eventID: id(label), eventTime: T0 });

const create = (label: string, roleName: string, policy: unknown, extra: { path?: string; omitResponse?: boolean } = {}) =>
  createRoleEvent({ actor: ADMIN, accountId: ORG_B, roleName, policy, eventID: id(label), eventTime: T0, ...extra });

describe("trust-policy-external-principal", () => {
  it("CreateRole admitting an outside account: high, only the offending principal listed, the role ARN with its path", () => {
    const policy = trust(
      { Principal: { Service: "ec2.amazonaws.com" } },
      { Principal: { AWS: [`arn:aws:iam::${ORG_A}:root`, `arn:aws:iam::${STRANGER}:root`] } },
    );
    const [only, ...rest] = detect([create("create", "backdoor", policy, { path: "/ops/" })]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({
      kind: "trust-policy-external-principal", severity: "high", id: `trust-policy-external-principal:${id("create")}`,
      eventName: "CreateRole", roleArn: `arn:aws:iam::${ORG_B}:role/ops/backdoor`, roleAccountId: ORG_B,
      callerAccountId: ORG_B, callerArn: `arn:aws:iam::${ORG_B}:user/admin`, callerType: "IAMUser", sharedEventID: null,
      principals: [{ element: "Principal", kind: "AWS", value: `arn:aws:iam::${STRANGER}:root`, accountId: STRANGER, conditionKeys: [] }],
    });
    expect(only?.finding.reason).toBe(
      `CreateRole on arn:aws:iam::${ORG_B}:role/ops/backdoor admits account ${STRANGER} (arn:aws:iam::${STRANGER}:root); none of them is a trusted account or admitted to this role by an allow entry.`,
    );
    // The sweep traces who made the change from the IAM call itself.
    expect(only?.traceFromEventId).toBe(id("create"));
  });

  it("only trusted principals and services: no finding", () => {
    const policy = trust({ Principal: { AWS: [ORG_A, `arn:aws:iam::${ORG_B}:role/ci`], Service: "lambda.amazonaws.com" } });
    expect(detect([create("create-ok", "fine", policy), update("update-ok", "fine", policy)])).toEqual([]);
  });

  it("UpdateAssumeRolePolicy adding the vendor to its allowed role is fine; to another role it is a finding", () => {
    const policy = trust({ Principal: { AWS: VENDOR } });
    expect(detect([update("vendor-ok", "VendorAudit", policy)])).toEqual([]);
    const [only] = detect([update("vendor-prod", "ProdAdmin", policy)]);
    expect(only?.finding).toMatchObject({ kind: "trust-policy-external-principal", roleArn: PROD_ADMIN, principals: [{ value: VENDOR, accountId: VENDOR }] });
  });

  describe("allow patterns vs UpdateAssumeRolePolicy, which logs the role name but not its path", () => {
    const policy = trust({ Principal: { AWS: VENDOR } });

    it("a pattern naming the role exactly identifies it whatever its path (role names are unique in an account)", () => {
      const config = sweepConfig({ allow: [{ callerAccount: VENDOR, roleArn: `arn:aws:iam::${ORG_B}:role/vendors/VendorAudit` }] });
      expect(detect([update("path-exact", "VendorAudit", policy)], config)).toEqual([]);
      expect(detect([update("path-other", "ProdAdmin", policy)], config)).toHaveLength(1);
    });

    it("a pattern with a wildcard name under a path cannot be decided from the name alone: reported", () => {
      const config = sweepConfig({ allow: [{ callerAccount: VENDOR, roleArn: `arn:aws:iam::${ORG_B}:role/vendors/*` }] });
      const [only] = detect([update("path-wild", "VendorAudit", policy)], config);
      expect(only?.finding.roleArn).toBe(`arn:aws:iam::${ORG_B}:role/VendorAudit`);
    });

    it("a role whose path is known is matched with it: the same name under another path is another role", () => {
      const config = sweepConfig({ allow: [{ callerAccount: VENDOR, roleArn: `arn:aws:iam::${ORG_B}:role/vendors/VendorAudit` }] });
      expect(detect([create("created-elsewhere", "VendorAudit", policy, { path: "/imposter/" })], config)).toHaveLength(1);
      expect(detect([create("created-at-root", "VendorAudit", policy)], config)).toHaveLength(1);
      expect(detect([create("created-there", "VendorAudit", policy, { path: "/vendors/" })], config)).toEqual([]);
    });

    it("...unless a successful call in the same sweep showed the role's path", () => {
      const config = sweepConfig({ allow: [{ callerAccount: VENDOR, roleArn: `arn:aws:iam::${ORG_B}:role/vendors/*` }] });
      const { ownerCopy } = crossAccountAssumeRole({
        caller: user(VENDOR, "auditor"), session: sessionOf(`arn:aws:iam::${ORG_B}:role/vendors/VendorAudit`, "audit"),
        ownerEventID: id("path-seen:owner"), callerEventID: id("path-seen:caller"), sharedEventID: id("path-seen:shared"),
      });
      expect(detect([update("path-known", "VendorAudit", policy), ownerCopy], config)).toEqual([]);
    });
  });

  it.each([
    ["Principal \"*\"", { Principal: "*" }, "critical"],
    ["AWS \"*\"", { Principal: { AWS: "*" } }, "critical"],
    ["Allow + NotPrincipal", { NotPrincipal: { AWS: `arn:aws:iam::${ORG_A}:root` } }, "critical"],
    ["* with only sts:ExternalId (a shared string)", { Principal: "*", Condition: { StringEquals: { "sts:ExternalId": "12345" } } }, "critical"],
    ["* with only aws:SourceIp", { Principal: { AWS: "*" }, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }, "critical"],
    ["* bounded by aws:PrincipalOrgID", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }, "high"],
    ["* bounded by aws:PrincipalAccount", { Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalAccount": ORG_A } } }, "high"],
    ["a unique id (account unknown)", { Principal: { AWS: "AROAY24FZKAOKXOMX4HDD" } }, "high"],
  ])("%s → %s", (_label, statement, severity) => {
    const [only, ...rest] = detect([update(`everyone:${_label}`, "ProdAdmin", trust(statement))]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({ kind: "trust-policy-external-principal", severity });
  });

  it("NotPrincipal is reported as * with element NotPrincipal and the reason says so", () => {
    const [only] = detect([update("notprincipal", "ProdAdmin", trust({ NotPrincipal: { AWS: `arn:aws:iam::${ORG_A}:root` } }))]);
    expect(only?.finding.principals).toEqual([{ element: "NotPrincipal", kind: "*", value: "*", accountId: null, conditionKeys: [] }]);
    expect(only?.finding.reason).toContain("everyone (Allow with NotPrincipal)");
  });

  it("Deny statements do not make a finding", () => {
    const policy = { Statement: [{ Effect: "Deny", Principal: { AWS: STRANGER }, Action: "sts:AssumeRole" }, { Effect: "Allow", Principal: { AWS: ORG_A }, Action: "sts:AssumeRole" }] };
    expect(detect([update("deny", "ProdAdmin", policy)])).toEqual([]);
  });

  it("an unreadable policy is still a finding (high): a backdoor must not hide behind malformed JSON", () => {
    const [only] = detect([update("malformed", "ProdAdmin", '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"555555555555"}')]);
    expect(only?.finding).toMatchObject({ kind: "trust-policy-external-principal", severity: "high", principals: [] });
    expect(only?.finding.reason).toContain("could not be read (the policy document is not a JSON object)");
  });

  it("a record without the document is reported (medium): it could not be checked", () => {
    const [only] = detect([update("no-document", "ProdAdmin", undefined)]);
    expect(only?.finding).toMatchObject({ kind: "trust-policy-external-principal", severity: "medium" });
    expect(only?.finding.reason).toContain("carries no trust policy document");
  });

  it("CreateRole read from its URL-encoded response when the request lacks the document", () => {
    const record = create("response-only", "backdoor", trust({ Principal: { AWS: STRANGER } }));
    delete (record.requestParameters as Record<string, unknown>).assumeRolePolicyDocument;
    expect((record.responseElements as { role: { assumeRolePolicyDocument: string } }).role.assumeRolePolicyDocument).toMatch(/^%7B/);
    const [only] = detect([record]);
    expect(only?.finding.principals).toMatchObject([{ accountId: STRANGER }]);
  });

  it("CreateRole without a logged response: the ARN is built from the requested path and name", () => {
    const [only] = detect([create("no-response", "backdoor", trust({ Principal: { AWS: STRANGER } }), { path: "/x/", omitResponse: true })]);
    expect(only?.finding.roleArn).toBe(`arn:aws:iam::${ORG_B}:role/x/backdoor`);
  });

  it("failed changes, and roles in untrusted accounts, are not findings", () => {
    const failed = updateAssumeRolePolicyEvent({
      actor: ADMIN, accountId: ORG_B, roleName: "ProdAdmin", policy: trust({ Principal: "*" }), eventID: id("failed"), eventTime: T0, errorCode: "AccessDenied",
    });
    expect(detect([failed, update("elsewhere", "Theirs", trust({ Principal: "*" }), STRANGER)])).toEqual([]);
  });

  it("the same event read twice is one finding", () => {
    const record = update("twice", "ProdAdmin", trust({ Principal: { AWS: STRANGER } }));
    expect(detect([record, record])).toHaveLength(1);
  });

  it("long attacker-written values are cut in the reason", () => {
    const longArn = `arn:aws:iam::${STRANGER}:role/${"x".repeat(5000)}`;
    const [only] = detect([update("long", "ProdAdmin", trust({ Principal: { AWS: longArn } }))]);
    expect(only!.finding.reason.length).toBeLessThan(600);
    expect(only!.finding.reason).toContain("…");
    expect(only!.finding.principals[0]!.value.length).toBeLessThanOrEqual(2048);
  });
});

describe("trust-policy-unconstrained-web-identity", () => {
  const github = (condition?: Record<string, unknown>) => trust({
    Principal: { Federated: GITHUB_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", ...(condition ? { Condition: condition } : {}),
  });
  const audOnly = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } };

  it("GitHub Actions trusted with only the audience condition: any repository on GitHub can assume the role", () => {
    const [only, ...rest] = detect([update("gha-open", "GitHubDeploy", github(audOnly), ORG_A)]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({
      kind: "trust-policy-unconstrained-web-identity", severity: "high", id: `trust-policy-unconstrained-web-identity:${id("gha-open")}`,
      roleArn: `arn:aws:iam::${ORG_A}:role/GitHubDeploy`,
      principals: [{ kind: "Federated", value: GITHUB_PROVIDER, accountId: ORG_A, conditionKeys: ["token.actions.githubusercontent.com:aud"] }],
      webIdentity: { provider: GITHUB_PROVIDER, subject: null },
    });
    expect(only?.finding.reason).toContain("no condition pinning token.actions.githubusercontent.com:sub");
  });

  it.each([
    ["no condition at all", github(), 1],
    ["sub repo:* (StringLike)", github({ ...audOnly, StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }), 1],
    ["sub with a wildcard owner", github({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:*/infra:*" } }), 1],
    ["sub pinned to one repository", github({ ...audOnly, StringLike: { "token.actions.githubusercontent.com:sub": "repo:example-org/infra:*" } }), 0],
    ["condition key written in another case", github({ StringEquals: { "Token.Actions.GitHubUserContent.com:Sub": "repo:example-org/infra:ref:refs/heads/main" } }), 0],
  ])("%s → %i finding(s)", (_label, policy, count) => {
    expect(detect([update(`gha:${_label}`, "GitHubDeploy", policy, ORG_A)])).toHaveLength(count);
  });

  it("one change can break both rules: two findings, two ids, same event", () => {
    const policy = { Statement: [...github(audOnly).Statement, ...trust({ Principal: { AWS: STRANGER } }).Statement] };
    const found = detect([update("both", "GitHubDeploy", policy, ORG_A)]);
    expect(found.map((d) => d.finding.kind).sort()).toEqual(["trust-policy-external-principal", "trust-policy-unconstrained-web-identity"]);
    expect(new Set(found.map((d) => d.finding.id)).size).toBe(2);
    expect(new Set(found.map((d) => d.finding.eventID))).toEqual(new Set([id("both")]));
  });

  it("SAML providers are not judged", () => {
    const policy = trust({ Principal: { Federated: `arn:aws:iam::${ORG_A}:saml-provider/Okta` }, Action: "sts:AssumeRoleWithSAML" });
    expect(detect([update("saml", "SamlRole", policy, ORG_A)])).toEqual([]);
  });
});
