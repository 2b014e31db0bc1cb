import { DEV, EU_WEST_1, IDENTITY, US_EAST_1 } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const stsInOtherRegion: ScenarioDefinition = {
  name: "sts-in-other-region",
  build(kit) {
    const henry = kit.user(IDENTITY, "henry");
    const ip = henry.ips[2]!;
    const ua = kit.ua("cli");
    // The regional endpoint sts.eu-west-1 logs both copies in eu-west-1, far from the us-east-1 subject.
    const issued = kit.assumeRole({
      caller: kit.userKey(henry), role: kit.role(DEV, "ops-admin"), sessionName: "henry", time: kit.at(0), region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua, serialNumber: henry.mfaSerial!,
    });
    const target = { accountId: DEV, region: US_EAST_1 };
    kit.call(issued.session, "ec2:DescribeInstances", target, { time: kit.at(45), sourceIPAddress: ip, userAgent: ua });
    const subject = kit.call(issued.session, "ec2:GetPasswordData", target, { time: kit.at(170), sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "henry assumed ops-admin in dev through the eu-west-1 STS endpoint, so the AssumeRole is logged in eu-west-1 while the Windows password retrieval happened in us-east-1.",
      subject,
      hops: [kit.hop({ sessionArn: issued.session.arn, issuing: issued.ownerCopy, callerCopy: issued.callerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(henry, ip, true),
    });
  },
};
