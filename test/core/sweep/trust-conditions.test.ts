import { describe, expect, it } from "vitest";
import { boundsCallerIdentity, constrainsWebIdentitySubject } from "../../../src/core/sweep/trust-conditions.js";
import type { ConditionClause } from "../../../src/core/sweep/trust-policy.js";

const GH = "token.actions.githubusercontent.com";
const clause = (operator: string, key: string, ...values: string[]): ConditionClause => ({ operator, key, values });

describe("constrainsWebIdentitySubject: GitHub Actions", () => {
  it.each([
    ["exact sub", [clause("StringEquals", `${GH}:sub`, "repo:example-org/infra:ref:refs/heads/main")]],
    ["owner and repo fixed, any ref", [clause("StringLike", `${GH}:sub`, "repo:example-org/infra:*")]],
    ["owner fixed, any repo", [clause("StringLike", `${GH}:sub`, "repo:example-org/*")]],
    ["ForAnyValue / IfExists variants", [clause("ForAnyValue:StringLikeIfExists", `${GH}:sub`, "repo:example-org/infra:*")]],
    ["several values, all fixed", [clause("StringLike", `${GH}:sub`, "repo:example-org/a:*", "repo:example-org/b:*")]],
    ["aud and sub", [clause("StringEquals", `${GH}:aud`, "sts.amazonaws.com"), clause("StringLike", `${GH}:sub`, "repo:example-org/*")]],
    ["customised subject format", [clause("StringLike", `${GH}:sub`, "repository_owner_id:12345:*")]],
  ])("%s → constrained", (_label, conditions) => {
    expect(constrainsWebIdentitySubject(GH, conditions)).toBe(true);
  });

  it.each([
    ["no condition", []],
    ["aud only (every GitHub user gets sts.amazonaws.com)", [clause("StringEquals", `${GH}:aud`, "sts.amazonaws.com")]],
    ["sub *", [clause("StringLike", `${GH}:sub`, "*")]],
    ["sub repo:*", [clause("StringLike", `${GH}:sub`, "repo:*")]],
    ["wildcard owner", [clause("StringLike", `${GH}:sub`, "repo:*/infra:*")]],
    ["owner prefix only (acme* admits acme-evil)", [clause("StringLike", `${GH}:sub`, "repo:example-org*")]],
    ["one open value among fixed ones", [clause("StringLike", `${GH}:sub`, "repo:example-org/a:*", "repo:*")]],
    ["leading wildcard", [clause("StringLike", `${GH}:sub`, "*example-org/infra:*")]],
    ["negated operator", [clause("StringNotLike", `${GH}:sub`, "repo:evil/*")]],
    ["Null check", [clause("Null", `${GH}:sub`, "false")]],
    ["another provider's sub", [clause("StringEquals", "gitlab.com:sub", "project_path:g/p:ref_type:branch:ref:main")]],
  ])("%s → unconstrained", (_label, conditions) => {
    expect(constrainsWebIdentitySubject(GH, conditions)).toBe(false);
  });

  it("GitHub Enterprise issuers with a path are GitHub too", () => {
    const issuer = `${GH}/example-enterprise`;
    expect(constrainsWebIdentitySubject(issuer, [clause("StringLike", `${issuer}:sub`, "repo:*")])).toBe(false);
    expect(constrainsWebIdentitySubject(issuer, [clause("StringLike", `${issuer}:sub`, "repo:example-org/*")])).toBe(true);
  });
});

describe("constrainsWebIdentitySubject: other providers", () => {
  const eks = "oidc.eks.eu-west-1.amazonaws.com/id/a8242f25bfbb8f98f5321b2ae63c8b5c";
  it("EKS: a service-account sub pins it, * does not", () => {
    expect(constrainsWebIdentitySubject(eks, [clause("StringEquals", `${eks}:sub`, "system:serviceaccount:argo:executor")])).toBe(true);
    expect(constrainsWebIdentitySubject(eks, [clause("StringLike", `${eks}:sub`, "*")])).toBe(false);
  });
  it("Cognito: pinning aud (the identity pool) is enough", () => {
    const cognito = "cognito-identity.amazonaws.com";
    expect(constrainsWebIdentitySubject(cognito, [clause("StringEquals", `${cognito}:aud`, "eu-west-1:1234-abcd")])).toBe(true);
    expect(constrainsWebIdentitySubject(cognito, [clause("ForAnyValue:StringLike", `${cognito}:amr`, "authenticated")])).toBe(false);
  });
  it("GitLab: aud is chosen by the job, only sub counts", () => {
    expect(constrainsWebIdentitySubject("gitlab.com", [clause("StringEquals", "gitlab.com:aud", "https://gitlab.com")])).toBe(false);
  });
});

describe("boundsCallerIdentity", () => {
  it.each([
    ["aws:PrincipalOrgID", [clause("StringEquals", "aws:principalorgid", "o-abc123")], true],
    ["aws:PrincipalAccount", [clause("StringEquals", "aws:principalaccount", "111111111111")], true],
    ["aws:PrincipalArn like", [clause("ArnLike", "aws:principalarn", "arn:aws:iam::111111111111:role/*")], true],
    ["sts:ExternalId is a shared string, not an identity", [clause("StringEquals", "sts:externalid", "s3cr3t")], false],
    ["aws:SourceIp says where, not who", [clause("IpAddress", "aws:sourceip", "203.0.113.0/24")], false],
    ["negated org", [clause("StringNotEquals", "aws:principalorgid", "o-evil")], false],
    ["org pattern *", [clause("StringLike", "aws:principalorgid", "*")], false],
    ["no condition", [], false],
  ])("%s → %s", (_label, conditions, expected) => {
    expect(boundsCallerIdentity(conditions)).toBe(expected);
  });
});
