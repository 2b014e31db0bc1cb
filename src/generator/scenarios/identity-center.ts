import { serviceCall } from "../api-catalog.js";
import { getRoleCredentials } from "../background-noise.js";
import { stableHex } from "../ids.js";
import { EU_WEST_1, SECURITY, US_EAST_1, samlProviderFor, ssoRoleName } from "../org-model.js";
import { assumeRoleWithSaml } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const identityCenter: ScenarioDefinition = {
  name: "identity-center",
  build(kit) {
    const jane = kit.org.ssoUsers[0]!;
    const role = kit.role(SECURITY, ssoRoleName(SECURITY, "AdministratorAccess"));
    const provider = samlProviderFor(kit.org, SECURITY, "sso");
    const ip = jane.ips[1]!;
    const t = kit.at(0);
    // `aws sso login` → the portal's GetRoleCredentials (management account) → AssumeRoleWithSAML by the SSO service.
    kit.emit(getRoleCredentials(kit.ctx, jane, SECURITY, "AdministratorAccess", t, ip));
    const ssoServiceIp = kit.rng.pick(kit.org.ips.awsService);
    const issued = assumeRoleWithSaml(kit.ctx, {
      provider, subject: jane.email, role, sessionName: jane.email, time: t, region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ssoServiceIp, userAgent: kit.ua("ssoService"), durationSeconds: 28800,
    });
    kit.emit(issued.record);
    const session = issued.session;
    kit.reserve(session.arn, t);
    const cli = kit.ua("cli");
    const target = { accountId: SECURITY, region: EU_WEST_1 };
    kit.call(session, "guardduty:ListDetectors", target, { time: kit.at(95), sourceIPAddress: ip, userAgent: cli });
    const subjectTime = kit.at(171);
    const subject = kit.call(session, serviceCall({ ...target, time: subjectTime }, "guardduty", "DeleteDetector", false, {
      detectorId: stableHex(`gd:${SECURITY}:${EU_WEST_1}`, 32),
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: cli });
    return kit.trace({
      story: "jane@example.com signed in through IAM Identity Center with the AdministratorAccess permission set in the security account and deleted the GuardDuty detector in eu-west-1.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.record, callerType: "SAMLUser" })],
      origin: kit.origin({ type: "SAMLUser", sourceIPAddress: ssoServiceIp, userName: jane.email, identityProvider: provider.nameQualifier }),
    });
  },
};
