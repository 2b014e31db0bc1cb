import { serviceCall } from "../api-catalog.js";
import { AP_SOUTHEAST_2, SECURITY } from "../org-model.js";
import { HOUR_MS, MINUTE_MS } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const lateDelivery: ScenarioDefinition = {
  name: "late-delivery",
  build(kit) {
    const siem = kit.user(SECURITY, "siem-ingest");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const t = kit.at(0);
    // CloudTrail's "about 5 minutes" is not a promise: this AssumeRole arrives in a file three hours later.
    const issued = kit.assumeRole({
      caller: kit.userKey(siem), role: kit.role(SECURITY, "log-archive-reader"), sessionName: "siem-ingest", time: t,
      region: AP_SOUTHEAST_2, endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    }, { deliverAtMs: t + 3 * HOUR_MS + kit.rng.between(2, 9) * MINUTE_MS });
    const target = { accountId: SECURITY, region: AP_SOUTHEAST_2 };
    kit.call(issued.session, "logs:DescribeLogGroups", target, { time: kit.at(51), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(244);
    const subject = kit.call(issued.session, serviceCall({ ...target, time: subjectTime }, "logs", "DeleteLogGroup", false, { logGroupName: "/security/vpc-flow-logs" }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "siem-ingest's key assumed log-archive-reader in ap-southeast-2 and deleted the VPC flow-log group. The AssumeRole record was delivered about three hours late; a trace run right after the deletion would not have found it.",
      subject,
      hops: [kit.hop({ sessionArn: issued.session.arn, issuing: issued.ownerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(siem, ip, false),
    });
  },
};
