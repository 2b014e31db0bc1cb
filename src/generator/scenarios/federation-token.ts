import { DEV, US_EAST_1 } from "../org-model.js";
import { getFederationToken } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const federationToken: ScenarioDefinition = {
  name: "federation-token",
  build(kit) {
    const reporting = kit.user(DEV, "reporting-svc");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    // Federation tokens outlive the key that minted them (up to 36 h): a persistence trick.
    const issued = getFederationToken(kit.ctx, {
      caller: kit.userKey(reporting), name: "svc-maint", time: kit.at(0), region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ip, userAgent: ua, durationSeconds: 129600,
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    });
    kit.emit(issued.record);
    const session = issued.session;
    kit.reserve(session.arn, session.creationMs);
    const target = { accountId: DEV, region: US_EAST_1 };
    kit.call(session, "sts:GetCallerIdentity", target, { time: kit.at(44), sourceIPAddress: ip, userAgent: ua });
    kit.call(session, "ec2:DescribeInstances", target, { time: kit.at(310), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(612);
    const subject = kit.call(session, "ec2:CreateKeyPair", target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    kit.keyReuseDecoy(session.accessKeyId, kit.between(session.creationMs, subjectTime));
    return kit.trace({
      story: "reporting-svc's access key called GetFederationToken for a federated user svc-maint with an allow-all policy; that federated user then created an EC2 key pair.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.record, callerType: "IAMUser" })],
      origin: kit.userOrigin(reporting, ip, false),
    });
  },
};
