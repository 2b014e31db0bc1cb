import { globalServiceCall } from "../api-catalog.js";
import { PROD, US_EAST_1, oidcProviderFor } from "../org-model.js";
import { assumeRoleWithWebIdentity } from "../sts-calls.js";
import { USER_AGENTS } from "../user-agents.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const githubActionsOidc: ScenarioDefinition = {
  name: "github-actions-oidc",
  build(kit) {
    const provider = oidcProviderFor(kit.org, PROD);
    const ip = kit.rng.pick(kit.org.ips.github);
    const ua = USER_AGENTS.github[0];
    const repoSubject = "repo:example-org/infra:ref:refs/heads/main";
    // "GitHubActions" is the session name of every workflow run: the ARN repeats all day.
    const issued = assumeRoleWithWebIdentity(kit.ctx, {
      provider, subject: repoSubject, audience: "sts.amazonaws.com", role: kit.role(PROD, "github-actions-deploy"),
      sessionName: "GitHubActions", time: kit.at(0), region: US_EAST_1, sourceIPAddress: ip, userAgent: ua,
    });
    kit.emit(issued.record);
    const session = issued.session;
    kit.reserve(session.arn, session.creationMs);
    const target = { accountId: PROD, region: US_EAST_1 };
    const cli = USER_AGENTS.github[1];
    // Another repository's production deploy gets the very same session ARN half a minute later.
    const otherIp = kit.rng.pick(kit.org.ips.github);
    const otherRun = assumeRoleWithWebIdentity(kit.ctx, {
      provider, subject: "repo:example-org/payments-api:environment:production", audience: "sts.amazonaws.com", role: kit.role(PROD, "github-actions-deploy"),
      sessionName: "GitHubActions", time: kit.at(29), region: US_EAST_1, sourceIPAddress: otherIp, userAgent: ua,
    });
    kit.emit(otherRun.record);
    kit.reserve(otherRun.session.arn, otherRun.session.creationMs);
    kit.call(otherRun.session, "cloudformation:DescribeStacks", target, { time: kit.at(41), sourceIPAddress: otherIp, userAgent: cli });
    kit.call(session, "sts:GetCallerIdentity", target, { time: kit.at(8), sourceIPAddress: ip, userAgent: cli });
    kit.call(session, "iam:GetRole", target, { time: kit.at(37), sourceIPAddress: ip, userAgent: cli });
    const subjectTime = kit.at(64);
    const subject = kit.call(session, globalServiceCall({ ...target, time: subjectTime }, "iam", "UpdateAssumeRolePolicy", false, {
      roleName: "ProdAdmin",
      policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::555555555555:root"]},"Action":"sts:AssumeRole"}]}',
    }, { resourceArn: "arn:aws:iam::222222222222:role/admin/ProdAdmin" }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: cli });
    kit.keyReuseDecoy(session.accessKeyId, kit.between(session.creationMs, subjectTime));
    // The new trust policy admits an account outside the org: a sweep finding too (sweep-never-seen-account uses it).
    kit.expectFinding("trust-policy-external-principal", subject,
      "A GitHub Actions run of example-org/infra rewrote ProdAdmin's trust policy to admit arn:aws:iam::555555555555:root, an account outside the org.",
      kit.role(PROD, "ProdAdmin").arn);
    return kit.trace({
      story: "A GitHub Actions run of example-org/infra on main assumed github-actions-deploy through OIDC and rewrote ProdAdmin's trust policy to admit account 555555555555.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.record, callerType: "WebIdentityUser" })],
      origin: kit.origin({ type: "WebIdentityUser", sourceIPAddress: ip, userName: repoSubject, identityProvider: provider.arn }),
    });
  },
};
