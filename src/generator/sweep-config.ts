import type { SweepConfig } from "../schema/sweep-config.js";
import type { OrgModel } from "./org-model.js";

/**
 * The sweep config every generated corpus comes with (OUT/sweep-config.json), and that its expected
 * findings assume: the org's own accounts trust each other; the monitoring vendor may assume
 * vendor-monitoring (any account, path /external/) and nothing else; GitHub Actions of the org's own
 * repositories may assume github-actions-deploy. Account 555555555555 and 777777777777 are in no entry.
 */
export function sweepConfigFor(org: OrgModel): SweepConfig {
  const deployRole = "arn:aws:iam::*:role/ci/github-actions-deploy";
  const github = "token.actions.githubusercontent.com";
  // infra is the repository the issue names; the org's other repositories deploy all day in the background.
  const repos = ["example-org/infra", ...org.githubRepos.filter((r) => r !== "example-org/infra")];
  return {
    trustedAccounts: org.accounts.map((a) => a.id),
    allow: [{
      callerAccount: org.outside.vendor.id, roleArn: "arn:aws:iam::*:role/external/vendor-monitoring",
      note: "CloudLens monitoring vendor: its collector assumes vendor-monitoring (prod and dev) hourly.",
    }],
    webIdentity: repos.map((repo) => ({
      provider: github, subject: `repo:${repo}:*`, roleArn: deployRole,
      note: `GitHub Actions workflows of ${repo} (any branch, environment or pull request).`,
    })),
    overlap: "1h",
  };
}
