import { globalServiceCall } from "../api-catalog.js";
import { IDENTITY, US_EAST_1 } from "../org-model.js";
import { assumeRole, failedAssumeRole } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const failedAssumeRoleIgnored: ScenarioDefinition = {
  name: "failed-assume-role-ignored",
  build(kit) {
    const frank = kit.user(IDENTITY, "frank");
    const role = kit.role(IDENTITY, "org-billing-admin");
    const ip = frank.ips[0]!;
    const ua = kit.ua("cli");
    const t = kit.at(0);
    const request = { caller: kit.userKey(frank), role, sessionName: "frank", time: t, region: US_EAST_1, endpoint: "regional" as const, sourceIPAddress: ip, userAgent: ua };
    // Without MFA the trust policy says no; the script retries at once with the MFA code.
    const denied = failedAssumeRole(kit.ctx, request);
    const issued = assumeRole(kit.ctx, { ...request, serialNumber: frank.mfaSerial! });
    kit.emitInOrder([denied, issued.ownerCopy]);
    kit.reserve(issued.session.arn, t);
    const target = { accountId: IDENTITY, region: US_EAST_1 };
    kit.call(issued.session, "iam:GetUser", target, { time: kit.at(30), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(88);
    const subject = kit.call(issued.session, globalServiceCall({ ...target, time: subjectTime }, "iam", "AttachUserPolicy", false, {
      userName: "frank", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "frank's first AssumeRole into org-billing-admin was denied (no MFA) and retried in the same second with MFA; the successful session attached AdministratorAccess to frank himself. The denied call issued nothing.",
      subject,
      hops: [kit.hop({ sessionArn: issued.session.arn, issuing: issued.ownerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(frank, ip, true),
    });
  },
};
