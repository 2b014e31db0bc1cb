import { DEV, IDENTITY, PROD, US_EAST_1, oidcProviderFor } from "../org-model.js";
import { assumeRoleWithWebIdentity } from "../sts-calls.js";
import { USER_AGENTS } from "../user-agents.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const sameSessionNameDifferentCallers: ScenarioDefinition = {
  name: "same-session-name-different-callers",
  build(kit) {
    const prodDeployer = kit.role(PROD, "prod-deployer");
    const deployBot = kit.user(IDENTITY, "deploy-bot");
    const botIp = deployBot.ips[0]!;
    const botUa = kit.ua("goSdk");
    const ghIp = kit.rng.pick(kit.org.ips.github);
    const ghUa = USER_AGENTS.github[0];
    const t = kit.at(0);

    // A GitHub Actions run in dev gets its OIDC session, then hops into prod-deployer as "deploy".
    const gh = assumeRoleWithWebIdentity(kit.ctx, {
      provider: oidcProviderFor(kit.org, DEV), subject: "repo:example-org/web-frontend:ref:refs/heads/main", audience: "sts.amazonaws.com",
      role: kit.role(DEV, "github-actions-deploy"), sessionName: "GitHubActions", time: kit.at(-43), region: US_EAST_1,
      sourceIPAddress: ghIp, userAgent: ghUa,
    });
    kit.emit(gh.record);
    kit.reserve(gh.session.arn, gh.session.creationMs);
    // Both callers ask for prod-deployer/deploy in the same second: ARN and creationDate tie, only the key differs.
    const fromBot = kit.assumeRole({
      caller: kit.userKey(deployBot), role: prodDeployer, sessionName: "deploy", time: t, region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: botIp, userAgent: botUa,
    });
    const fromGh = kit.assumeRole({
      caller: gh.session, role: prodDeployer, sessionName: "deploy", time: t, region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ghIp, userAgent: ghUa,
    });
    const target = { accountId: PROD, region: US_EAST_1 };
    kit.call(fromGh.session, "cloudformation:DescribeStacks", target, { time: kit.at(12), sourceIPAddress: ghIp, userAgent: ghUa });
    // The GitHub run assumes the same session name again a few minutes later.
    const again = kit.assumeRole({
      caller: gh.session, role: prodDeployer, sessionName: "deploy", time: kit.at(247), region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ghIp, userAgent: ghUa,
    });
    kit.call(again.session, "cloudformation:DescribeStackEvents", target, { time: kit.at(262), sourceIPAddress: ghIp, userAgent: ghUa });
    kit.call(fromBot.session, "lambda:GetFunction20150331v2", target, { time: kit.at(301), sourceIPAddress: botIp, userAgent: botUa });
    const subject = kit.call(fromBot.session, "lambda:UpdateFunctionCode20150331v2", { ...target, functionName: "orders-processor" }, { time: kit.at(366), sourceIPAddress: botIp, userAgent: botUa });
    return kit.trace({
      story: "New code was pushed to orders-processor by prod-deployer/deploy. Two callers (deploy-bot and a GitHub Actions run) assumed that same role and session name in the same second; only the access key shows it was deploy-bot.",
      subject,
      hops: [kit.hop({ sessionArn: fromBot.session.arn, issuing: fromBot.ownerCopy, callerCopy: fromBot.callerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(deployBot, botIp, false),
    });
  },
};
