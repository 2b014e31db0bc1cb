import { assumeRole } from "../sts-calls.js";
import { DEV, EU_WEST_1 } from "../org-model.js";
import { SECOND_MS } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const twoAssumeRolesOneSecondApart: ScenarioDefinition = {
  name: "two-assume-roles-one-second-apart",
  build(kit) {
    const devCi = kit.user(DEV, "dev-ci");
    const role = kit.role(DEV, "integration-tests");
    const ip = devCi.ips[0]!;
    const ua = kit.ua("goSdk");
    const t = kit.at(0);
    // The Go SDK names the session after a nanosecond clock; two clients built together share it.
    const sessionName = `aws-go-sdk-${t}${kit.ctx.ids.digits(6)}`;
    const request = {
      caller: kit.userKey(devCi), role, sessionName, region: EU_WEST_1, endpoint: "regional" as const,
      sourceIPAddress: ip, userAgent: ua, durationSeconds: 900,
    };
    const first = assumeRole(kit.ctx, { ...request, time: t });
    const second = assumeRole(kit.ctx, { ...request, time: t + SECOND_MS });
    // Same file, the later call first: records in a file are not in time order.
    kit.emitInOrder([second.ownerCopy, first.ownerCopy]);
    kit.reserve(first.session.arn, t);
    const target = { accountId: DEV, region: EU_WEST_1 };
    kit.call(second.session, "sts:GetCallerIdentity", target, { time: kit.at(3), sourceIPAddress: ip, userAgent: ua });
    kit.call(first.session, "ssm:GetParameter", target, { time: kit.at(24), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(51);
    const subject = kit.call(first.session, "ssm:GetParametersByPath", target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    kit.keyReuseDecoy(first.session.accessKeyId, kit.between(t, subjectTime));
    return kit.trace({
      story: "dev-ci's integration tests built two STS clients in the same instant: two AssumeRoles one second apart with the identical session ARN and different keys. The parameter sweep used the first one.",
      subject,
      hops: [kit.hop({ sessionArn: first.session.arn, issuing: first.ownerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(devCi, ip, false),
    });
  },
};
