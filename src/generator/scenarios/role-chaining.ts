import { AP_SOUTHEAST_2, DEV } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const roleChaining: ScenarioDefinition = {
  name: "role-chaining",
  build(kit) {
    const erin = kit.user(DEV, "erin");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const devAdmin = kit.role(DEV, "DevAdmin");
    const sandbox = kit.role(DEV, "sandbox-admin");
    const first = kit.assumeRole({
      caller: kit.userKey(erin), role: devAdmin, sessionName: "erin", time: kit.at(0), region: AP_SOUTHEAST_2, endpoint: "regional",
      sourceIPAddress: ip, userAgent: ua,
    });
    kit.call(first.session, "sts:GetCallerIdentity", { accountId: DEV, region: AP_SOUTHEAST_2 }, { time: kit.at(9), sourceIPAddress: ip, userAgent: ua });
    // The second AssumeRole is signed with DevAdmin's session credentials: its caller is AssumedRole.
    const second = kit.assumeRole({
      caller: first.session, role: sandbox, sessionName: "erin", time: kit.at(41), region: AP_SOUTHEAST_2, endpoint: "regional",
      sourceIPAddress: ip, userAgent: ua,
    });
    const target = { accountId: DEV, region: AP_SOUTHEAST_2 };
    kit.call(second.session, "ec2:DescribeSecurityGroups", target, { time: kit.at(75), sourceIPAddress: ip, userAgent: ua });
    kit.call(second.session, "ec2:DescribeSubnets", target, { time: kit.at(96), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(184);
    const subject = kit.call(second.session, "ec2:RunInstances", target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    kit.keyReuseDecoy(second.session.accessKeyId, kit.between(second.session.creationMs, subjectTime));
    return kit.trace({
      story: "erin's access key, used from an unfamiliar IP, assumed DevAdmin and chained from that session into sandbox-admin, which launched instances in ap-southeast-2.",
      subject,
      hops: [
        kit.hop({ sessionArn: second.session.arn, issuing: second.ownerCopy, callerType: "AssumedRole" }),
        kit.hop({ sessionArn: first.session.arn, issuing: first.ownerCopy, callerType: "IAMUser" }),
      ],
      origin: kit.userOrigin(erin, ip, false),
    });
  },
};
