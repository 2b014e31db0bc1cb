import { DEV, IDENTITY, US_EAST_1 } from "../org-model.js";
import { createRoleCall, trustPolicyText, updateAssumeRolePolicyCall } from "../iam-role-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Two backdoors in dev's trust policies, both findings: ivan's key, from a home address, assumes
 * DevAdmin and (1) adds arn:aws:iam::555555555555:root to DevAdmin's trust policy next to the
 * identity account, then (2) creates support-access, a role any AWS principal ("AWS": "*") may assume.
 */
export const sweepTrustPolicyOutsidePrincipal: ScenarioDefinition = {
  name: "sweep-trust-policy-outside-principal",
  placement: "sweep",
  build(kit) {
    const ivan = kit.user(IDENTITY, "ivan");
    const ip = ivan.ips[2]!;
    const ua = kit.ua("cli");
    const devAdmin = kit.role(DEV, "DevAdmin");
    const issued = kit.assumeRole({
      caller: kit.userKey(ivan), role: devAdmin, sessionName: "ivan", time: kit.at(0), region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ip, userAgent: ua,
    });
    const session = issued.session;
    const target = { accountId: DEV, region: US_EAST_1 };
    kit.call(session, "iam:ListRoles", target, { time: kit.at(12), sourceIPAddress: ip, userAgent: ua });
    const updateTime = kit.at(57);
    const update = kit.call(session, updateAssumeRolePolicyCall({ ...target, time: updateTime }, devAdmin.name, devAdmin.path, trustPolicyText({
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::555555555555:root"] },
        Action: "sts:AssumeRole",
      }],
    }, "pretty")), target, { time: updateTime, sourceIPAddress: ip, userAgent: ua });
    kit.expectFinding("trust-policy-external-principal", update,
      "ivan's DevAdmin session added arn:aws:iam::555555555555:root, an account outside the org, to DevAdmin's trust policy.", devAdmin.arn);

    const createTime = kit.at(133);
    const create = kit.call(session, createRoleCall({ ...target, time: createTime }, {
      roleName: "support-access", path: "/", description: "temporary vendor support access",
      policyText: trustPolicyText({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
      }, "compact"),
    }), target, { time: createTime, sourceIPAddress: ip, userAgent: ua });
    kit.expectFinding("trust-policy-external-principal", create,
      "ivan's DevAdmin session created support-access in dev with a trust policy that lets any AWS principal (\"AWS\": \"*\") assume it.");
    return null;
  },
};
