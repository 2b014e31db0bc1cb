import { describe, expect, it } from "vitest";
import { assumeRoleWithWebIdentityEvent, webIdentityUserIdentity } from "../../helpers/cloudtrail-records.js";
import { GITHUB_DEPLOY, GITHUB_PROVIDER, ORG_A, STRANGER, detect, id, sessionOf, sweepConfig } from "./sweep-fixtures.js";

function webIdentityCall(label: string, subject: string, roleArn = GITHUB_DEPLOY, providerArn = GITHUB_PROVIDER, audience = "sts.amazonaws.com") {
  return assumeRoleWithWebIdentityEvent({
    caller: webIdentityUserIdentity({ providerArn, audience, subject }),
    session: sessionOf(roleArn, `gha-${label}`),
    eventID: id(`wi:${label}`),
    subjectFromWebIdentityToken: subject,
    provider: providerArn,
    audience,
  });
}

const MAIN = "repo:example-org/infra:ref:refs/heads/main";

describe("web-identity-unexpected-subject", () => {
  it("an allowed (provider, subject, role) is not a finding", () => {
    expect(detect([webIdentityCall("ok", MAIN)])).toEqual([]);
  });

  it("another repository is", () => {
    const [only, ...rest] = detect([webIdentityCall("evil", "repo:attacker/fork:ref:refs/heads/main")]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({
      kind: "web-identity-unexpected-subject", severity: "high", eventID: id("wi:evil"), eventName: "AssumeRoleWithWebIdentity",
      roleArn: GITHUB_DEPLOY, roleAccountId: ORG_A, callerAccountId: null, callerArn: null, callerType: "WebIdentityUser",
      webIdentity: { provider: GITHUB_PROVIDER, subject: "repo:attacker/fork:ref:refs/heads/main" },
    });
    expect(only?.finding.reason).toBe(
      `Web identity repo:attacker/fork:ref:refs/heads/main from token.actions.githubusercontent.com assumed ${GITHUB_DEPLOY}; no webIdentity entry admits this provider and subject to this role.`,
    );
    expect(only?.traceFromEventId).toBeNull();
  });

  it("the allowed subject into another role is a finding", () => {
    expect(detect([webIdentityCall("other-role", MAIN, `arn:aws:iam::${ORG_A}:role/ProdAdmin`)])).toHaveLength(1);
  });

  it("the subject is compared as a pattern, the provider by host (GitHub Enterprise issuers included)", () => {
    const config = sweepConfig({ webIdentity: [{ provider: "https://token.actions.githubusercontent.com/", subject: "repo:example-org/*" }] });
    const enterprise = `arn:aws:iam::${ORG_A}:oidc-provider/token.actions.githubusercontent.com/example-enterprise`;
    expect(detect([webIdentityCall("a", "repo:example-org/api:environment:prod")], config)).toEqual([]);
    expect(detect([webIdentityCall("b", MAIN, GITHUB_DEPLOY, enterprise)], config)).toEqual([]);
    expect(detect([webIdentityCall("c", "repo:example-org-evil/api:ref:refs/heads/main")], config)).toHaveLength(1);
  });

  it("a provider given with a path matches that issuer only", () => {
    const cluster = (idPart: string) => `arn:aws:iam::${ORG_A}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${idPart}`;
    const config = sweepConfig({ webIdentity: [{ provider: "oidc.eks.eu-west-1.amazonaws.com/id/AAAA", subject: "system:serviceaccount:*" }] });
    const sa = "system:serviceaccount:argo:executor";
    expect(detect([webIdentityCall("eks-a", sa, GITHUB_DEPLOY, cluster("AAAA"), "sts.amazonaws.com")], config)).toEqual([]);
    expect(detect([webIdentityCall("eks-b", sa, GITHUB_DEPLOY, cluster("BBBB"), "sts.amazonaws.com")], config)).toHaveLength(1);
  });

  it("with no webIdentity entries, every web identity into a trusted account is unexpected (an allowlist, like allow)", () => {
    const [only] = detect([webIdentityCall("empty", MAIN)], sweepConfig({ webIdentity: [] }));
    expect(only?.finding.reason).toContain("the config lists no webIdentity entries, so no web identity is expected.");
  });

  it("failed calls and roles outside the trusted accounts are not findings", () => {
    const failed = webIdentityCall("failed", "repo:attacker/x:ref:refs/heads/main");
    failed.errorCode = "AccessDenied";
    failed.responseElements = null;
    expect(detect([failed])).toEqual([]);
    expect(detect([webIdentityCall("outside", "repo:attacker/x:ref:refs/heads/main", `arn:aws:iam::${STRANGER}:role/Theirs`)])).toEqual([]);
  });

  it("the subject falls back to userIdentity.userName; a built-in provider is a bare issuer", () => {
    const record = webIdentityCall("cognito", "eu-west-1:f33550b0-d103", GITHUB_DEPLOY, "cognito-identity.amazonaws.com", "eu-west-1:pool");
    delete (record.responseElements as Record<string, unknown>).subjectFromWebIdentityToken;
    const config = sweepConfig({ webIdentity: [{ provider: "cognito-identity.amazonaws.com", subject: "eu-west-1:*" }] });
    expect(detect([record], config)).toEqual([]);
    const [only] = detect([record]);
    expect(only?.finding.webIdentity).toEqual({ provider: "cognito-identity.amazonaws.com", subject: "eu-west-1:f33550b0-d103" });
  });
});
