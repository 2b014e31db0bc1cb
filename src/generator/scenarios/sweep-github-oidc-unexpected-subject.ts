import { PROD, US_EAST_1, oidcProviderFor } from "../org-model.js";
import { assumeRoleWithWebIdentity } from "../sts-calls.js";
import { USER_AGENTS } from "../user-agents.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Two GitHub Actions runs assume github-actions-deploy in prod minutes apart, both "GitHubActions"
 * sessions from GitHub-hosted runners. The example-org/infra run is allowed: no finding. The other
 * token's subject is repo:attacker/fork:ref:refs/heads/main, which no webIdentity entry admits: finding.
 */
export const sweepGithubOidcUnexpectedSubject: ScenarioDefinition = {
  name: "sweep-github-oidc-unexpected-subject",
  placement: "sweep",
  build(kit) {
    const provider = oidcProviderFor(kit.org, PROD);
    const role = kit.role(PROD, "github-actions-deploy");
    const target = { accountId: PROD, region: US_EAST_1 };
    const sdk = USER_AGENTS.github[0];
    const cli = USER_AGENTS.github[1];
    const run = (subject: string, seconds: number) => {
      const ip = kit.rng.pick(kit.org.ips.github);
      const issued = assumeRoleWithWebIdentity(kit.ctx, {
        provider, subject, audience: "sts.amazonaws.com", role, sessionName: "GitHubActions", time: kit.at(seconds), region: US_EAST_1,
        sourceIPAddress: ip, userAgent: sdk,
      });
      kit.emit(issued.record);
      kit.reserve(issued.session.arn, issued.session.creationMs);
      kit.call(issued.session, "sts:GetCallerIdentity", target, { time: kit.at(seconds + 6), sourceIPAddress: ip, userAgent: cli });
      return { ...issued, ip };
    };
    const allowed = run("repo:example-org/infra:ref:refs/heads/main", 0);
    kit.call(allowed.session, "cloudformation:DescribeStacks", target, { time: kit.at(31), sourceIPAddress: allowed.ip, userAgent: cli });
    const fork = run("repo:attacker/fork:ref:refs/heads/main", 20 + kit.rng.between(60, 240));
    kit.call(fork.session, "secretsmanager:GetSecretValue", target, { time: Date.parse(fork.record["eventTime"] as string) + 19_000, sourceIPAddress: fork.ip, userAgent: cli });
    kit.expectFinding("web-identity-unexpected-subject", fork.record,
      "A workflow of repo:attacker/fork assumed github-actions-deploy in prod through GitHub's OIDC provider; only the org's own repositories are allowed, and it read a production secret.");
    return null;
  },
};
