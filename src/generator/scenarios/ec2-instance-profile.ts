import { s3ObjectCall } from "../api-catalog.js";
import { AP_SOUTHEAST_2, PROD } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const ec2InstanceProfile: ScenarioDefinition = {
  name: "ec2-instance-profile",
  build(kit) {
    const instance = kit.org.instances.find((i) => i.accountId === PROD && i.region === AP_SOUTHEAST_2)!;
    // EC2 itself assumes the instance role: AWSService caller, no ARN, the instance id as session name.
    const issued = kit.assumeRole({
      caller: { kind: "service", service: "ec2.amazonaws.com" }, role: instance.role, sessionName: instance.id, time: kit.at(0),
      region: AP_SOUTHEAST_2, endpoint: "regional", sourceIPAddress: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com",
      ec2RoleDelivery: "1.0",
    });
    const session = issued.session;
    const target = { accountId: PROD, region: AP_SOUTHEAST_2, instanceId: instance.id };
    const appUa = kit.ua("ec2");
    kit.call(session, "ssm:UpdateInstanceInformation", target, { time: kit.at(14), sourceIPAddress: instance.publicIp, userAgent: appUa });
    kit.call(session, "s3:GetObject", target, { time: kit.at(102), sourceIPAddress: instance.publicIp, userAgent: appUa });
    // The same credentials, lifted through IMDSv1 (ec2RoleDelivery 1.0), used from outside AWS.
    const attacker = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const bucket = { name: "example-prod-apse2-media", region: AP_SOUTHEAST_2 };
    kit.call(session, "sts:GetCallerIdentity", target, { time: kit.at(1320), sourceIPAddress: attacker, userAgent: ua });
    // EC2's hourly refresh re-issues the same session ARN; the stolen, older credentials stay valid for hours.
    const refresh = kit.assumeRole({
      caller: { kind: "service", service: "ec2.amazonaws.com" }, role: instance.role, sessionName: instance.id, time: kit.at(3611),
      region: AP_SOUTHEAST_2, endpoint: "regional", sourceIPAddress: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com", ec2RoleDelivery: "1.0",
    });
    kit.call(refresh.session, "kms:Decrypt", target, { time: kit.at(3650), sourceIPAddress: instance.publicIp, userAgent: appUa });
    kit.call(session, s3ObjectCall(kit.ctx, { ...target, time: kit.at(4351) }, "ListObjects", true, 48_211, 0, { bucket, key: "" }), target, { time: kit.at(4351), sourceIPAddress: attacker, userAgent: ua });
    const subjectTime = kit.at(4388);
    const subject = kit.call(session, s3ObjectCall(kit.ctx, { ...target, time: subjectTime }, "GetObject", true, 18_734_112, 0, { bucket, key: "exports/customers-2026-11.csv.gz" }), target, { time: subjectTime, sourceIPAddress: attacker, userAgent: ua });
    return kit.trace({
      story: `The instance-profile credentials of ${instance.id} (app-server-role) were used from an outside IP to download a customer export. The role was assumed by EC2 itself; there is no human behind this hop.`,
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.ownerCopy, callerType: "AWSService" })],
      origin: kit.origin({ type: "AWSService", sourceIPAddress: "ec2.amazonaws.com", invokedBy: "ec2.amazonaws.com" }),
    });
  },
};
