import { IDENTITY, SECURITY, US_EAST_1 } from "../org-model.js";
import { createRoleCall, trustPolicyText, updateAssumeRolePolicyCall } from "../iam-role-calls.js";
import { USER_AGENTS } from "../user-agents.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Terraform changes trust policies in the security account naming only what the config trusts: no
 * finding. It onboards the vendor to a new vendor-monitoring role (999999999999 with sts:ExternalId,
 * exactly what the allow entry admits), creates a reader role for org accounts (an ARN, a bare
 * account id) and a Lambda service principal, and rewrites log-archive-reader's trust policy with a
 * same-account user, a service and a Deny statement naming 555555555555 (a Deny admits nobody).
 */
export const sweepTrustPolicyTrustedOnly: ScenarioDefinition = {
  name: "sweep-trust-policy-trusted-only",
  placement: "sweep",
  build(kit) {
    const terraform = kit.user(IDENTITY, "terraform");
    const ip = terraform.ips[0]!;
    const ua = USER_AGENTS.terraform[0];
    const issued = kit.assumeRole({
      caller: kit.userKey(terraform), role: kit.role(SECURITY, "terraform-apply"), sessionName: "terraform-sweep-onboarding", time: kit.at(0),
      region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    });
    const session = issued.session;
    const target = { accountId: SECURITY, region: US_EAST_1 };
    const at = (seconds: number) => ({ target: { ...target, time: kit.at(seconds) }, options: { time: kit.at(seconds), sourceIPAddress: ip, userAgent: ua } });

    const vendor = at(14);
    kit.call(session, createRoleCall(vendor.target, {
      roleName: "vendor-monitoring", path: "/external/", description: "CloudLens monitoring", maxSessionDuration: 3600,
      tags: [{ key: "vendor", value: "cloudlens" }],
      policyText: trustPolicyText({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "cloudlens-7f3a9c2e" } },
        }],
      }, "compact"),
    }), target, vendor.options);

    const reader = at(19);
    kit.call(session, createRoleCall(reader.target, {
      roleName: "cross-account-reader", path: "/",
      policyText: trustPolicyText({
        Version: "2012-10-17",
        Statement: [
          { Sid: "OrgAccounts", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::101010101010:root", "111111111111", "arn:aws:iam::222222222222:role/ci/prod-deployer"] }, Action: "sts:AssumeRole" },
          { Sid: "Lambda", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }, "compact"),
    }), target, reader.options);

    const update = at(26);
    kit.call(session, updateAssumeRolePolicyCall(update.target, "log-archive-reader", "/", trustPolicyText({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:user/siem-ingest" }, Action: "sts:AssumeRole" },
        { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" },
        { Effect: "Deny", Principal: { AWS: "arn:aws:iam::555555555555:root" }, Action: "sts:AssumeRole" },
      ],
    }, "compact")), target, update.options);
    return null;
  },
};
