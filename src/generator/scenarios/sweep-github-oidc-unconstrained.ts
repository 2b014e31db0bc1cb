import { DEV, IDENTITY, US_EAST_1, oidcProviderFor } from "../org-model.js";
import { createRoleCall, trustPolicyText } from "../iam-role-calls.js";
import { USER_AGENTS } from "../user-agents.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Terraform creates two GitHub Actions roles in dev. github-actions-docs is pinned to one repository
 * (a condition on token.actions.githubusercontent.com:sub): no finding. github-actions-release checks
 * only the audience, so any workflow of any repository on GitHub may assume it: finding.
 */
export const sweepGithubOidcUnconstrained: ScenarioDefinition = {
  name: "sweep-github-oidc-unconstrained",
  placement: "sweep",
  build(kit) {
    const terraform = kit.user(IDENTITY, "terraform");
    const ip = terraform.ips[1]!;
    const ua = USER_AGENTS.terraform[0];
    const issued = kit.assumeRole({
      caller: kit.userKey(terraform), role: kit.role(DEV, "terraform-apply"), sessionName: "terraform-github-roles", time: kit.at(0),
      region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    });
    const provider = oidcProviderFor(kit.org, DEV);
    const host = provider.issuerHost;
    const target = { accountId: DEV, region: US_EAST_1 };
    const pinnedTime = kit.at(17);
    kit.call(issued.session, createRoleCall({ ...target, time: pinnedTime }, {
      roleName: "github-actions-docs", path: "/ci/",
      policyText: trustPolicyText({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow", Principal: { Federated: provider.arn }, Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${host}:sub`]: "repo:example-org/web-frontend:*" } },
        }],
      }, "compact"),
    }), target, { time: pinnedTime, sourceIPAddress: ip, userAgent: ua });

    const openTime = kit.at(23);
    const open = kit.call(issued.session, createRoleCall({ ...target, time: openTime }, {
      roleName: "github-actions-release", path: "/ci/",
      policyText: trustPolicyText({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow", Principal: { Federated: provider.arn }, Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" } },
        }],
      }, "compact"),
    }), target, { time: openTime, sourceIPAddress: ip, userAgent: ua });
    kit.expectFinding("trust-policy-unconstrained-web-identity", open,
      "Terraform created github-actions-release in dev trusting GitHub's OIDC provider with only an audience condition: any workflow in any GitHub repository can assume it.");
    return null;
  },
};
