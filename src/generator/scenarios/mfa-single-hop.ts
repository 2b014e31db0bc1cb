import { globalServiceCall } from "../api-catalog.js";
import { IDENTITY, US_EAST_1 } from "../org-model.js";
import { expirationText } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const mfaSingleHop: ScenarioDefinition = {
  name: "mfa-single-hop",
  build(kit) {
    const alice = kit.user(IDENTITY, "alice");
    const role = kit.role(IDENTITY, "identity-admin");
    const ip = alice.ips[2]!;
    const ua = kit.ua("cli");
    const t0 = kit.at(0);
    // Delivered twice: CloudTrail occasionally repeats a record (same eventID) in a later file.
    const issued = kit.assumeRole({
      caller: kit.userKey(alice), role, sessionName: "alice", time: t0, region: US_EAST_1, endpoint: "global",
      servingRegion: US_EAST_1, sourceIPAddress: ip, userAgent: ua, serialNumber: alice.mfaSerial!, durationSeconds: 3600,
    }, { duplicateLater: true });
    const session = issued.session;
    kit.call(session, "iam:ListUsers", { accountId: IDENTITY, region: US_EAST_1 }, { time: kit.at(21), sourceIPAddress: ip, userAgent: ua });
    kit.call(session, "iam:ListAccessKeys", { accountId: IDENTITY, region: US_EAST_1 }, { time: kit.at(48), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(77);
    const subject = kit.call(session, globalServiceCall({ accountId: IDENTITY, region: US_EAST_1, time: subjectTime }, "iam", "CreateAccessKey", false, { userName: "svc-reporting" }, {
      responseElements: { accessKey: { userName: "svc-reporting", accessKeyId: kit.ctx.ids.longTermAccessKeyId(), status: "Active", createDate: expirationText(subjectTime) } },
    }), { accountId: IDENTITY, region: US_EAST_1 }, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    kit.keyReuseDecoy(session.accessKeyId, kit.between(t0, subjectTime));
    return kit.trace({
      story: "alice assumed identity-admin with her MFA device and minted a new access key for svc-reporting; the issuing AssumeRole was delivered twice.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.ownerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(alice, ip, true),
    });
  },
};
