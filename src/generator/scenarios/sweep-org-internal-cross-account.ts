import { AP_SOUTHEAST_2, DEV, EU_WEST_1, IDENTITY, MANAGEMENT, PROD, SECURITY, US_EAST_1, samlProviderFor, ssoRoleName } from "../org-model.js";
import { getRoleCredentials } from "../background-noise.js";
import { assumeRoleWithSaml } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Cross-account AssumeRoles between the org's own accounts, both copies logged, in all three regions
 * and through both endpoints: none is a finding (every account is trusted). The background holds
 * about a hundred more; this scenario makes sure each caller kind is there at least once. It starts
 * minutes before github-actions-oidc rewrites ProdAdmin's trust policy with alice's routine ProdAdmin
 * session, so any sweep window holding that UpdateAssumeRolePolicy (which names the role only) also
 * holds a call showing ProdAdmin's full ARN, path included.
 */
export const sweepOrgInternalCrossAccount: ScenarioDefinition = {
  name: "sweep-org-internal-cross-account",
  placement: { after: "github-actions-oidc", minMinutes: -12, maxMinutes: -6 },
  build(kit) {
    const cli = kit.ua("cli");
    // An identity user with MFA into ProdAdmin, global endpoint (logged in us-east-1).
    const alice = kit.user(IDENTITY, "alice");
    const aliceIp = alice.ips[0]!;
    const prodAdmin = kit.assumeRole({
      caller: kit.userKey(alice), role: kit.role(PROD, "ProdAdmin"), sessionName: "alice", time: kit.at(0), region: US_EAST_1,
      endpoint: "global", servingRegion: US_EAST_1, sourceIPAddress: aliceIp, userAgent: cli, serialNumber: alice.mfaSerial!,
    });
    kit.call(prodAdmin.session, "cloudformation:DescribeStacks", { accountId: PROD, region: US_EAST_1 }, { time: kit.at(8), sourceIPAddress: aliceIp, userAgent: cli });

    // An IAM user's key (identity) into prod through sts.eu-west-1.
    const carol = kit.user(IDENTITY, "carol");
    const carolIp = carol.ips[1]!;
    const readOnly = kit.assumeRole({
      caller: kit.userKey(carol), role: kit.role(PROD, "ReadOnly"), sessionName: "carol-readonly", time: kit.at(0), region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: carolIp, userAgent: cli,
    });
    kit.call(readOnly.session, "ec2:DescribeInstances", { accountId: PROD, region: EU_WEST_1 }, { time: kit.at(9), sourceIPAddress: carolIp, userAgent: cli });

    // A role session (security) into dev in ap-southeast-2: the caller copy names an AssumedRole.
    const dave = kit.user(IDENTITY, "dave");
    const daveIp = dave.ips[0]!;
    const responder = kit.assumeRole({
      caller: kit.userKey(dave), role: kit.role(SECURITY, "incident-responder"), sessionName: "dave-ir", time: kit.at(140), region: AP_SOUTHEAST_2,
      endpoint: "regional", sourceIPAddress: daveIp, userAgent: cli, serialNumber: dave.mfaSerial!,
    });
    const devReadOnly = kit.assumeRole({
      caller: responder.session, role: kit.role(DEV, "ReadOnly"), sessionName: "dave-ir", time: kit.at(171), region: AP_SOUTHEAST_2,
      endpoint: "regional", sourceIPAddress: daveIp, userAgent: cli,
    });
    kit.call(devReadOnly.session, "lambda:ListFunctions20150331", { accountId: DEV, region: AP_SOUTHEAST_2 }, { time: kit.at(180), sourceIPAddress: daveIp, userAgent: cli });

    // The management account's Identity Center admin into dev's OrganizationAccountAccessRole, global endpoint.
    const tom = kit.org.ssoUsers[4]!;
    const tomIp = tom.ips[0]!;
    const ssoRole = kit.role(MANAGEMENT, ssoRoleName(MANAGEMENT, "AdministratorAccess"));
    kit.emit(getRoleCredentials(kit.ctx, tom, MANAGEMENT, "AdministratorAccess", kit.at(300), tomIp));
    const sso = assumeRoleWithSaml(kit.ctx, {
      provider: samlProviderFor(kit.org, MANAGEMENT, "sso"), subject: tom.email, role: ssoRole, sessionName: tom.email, time: kit.at(300),
      region: US_EAST_1, endpoint: "regional", sourceIPAddress: kit.rng.pick(kit.org.ips.awsService), userAgent: kit.ua("ssoService"), durationSeconds: 28800,
    });
    kit.emit(sso.record);
    kit.reserve(sso.session.arn, sso.session.creationMs);
    const orgAccess = kit.assumeRole({
      caller: sso.session, role: kit.role(DEV, "OrganizationAccountAccessRole"), sessionName: "tom-orgaccess", time: kit.at(338), region: US_EAST_1,
      endpoint: "global", servingRegion: EU_WEST_1, sourceIPAddress: tomIp, userAgent: cli,
    });
    kit.call(orgAccess.session, "iam:ListRoles", { accountId: DEV, region: US_EAST_1 }, { time: kit.at(351), sourceIPAddress: tomIp, userAgent: cli });
    return null;
  },
};
