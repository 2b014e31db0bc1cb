import { globalServiceCall } from "../api-catalog.js";
import { IDENTITY, US_EAST_1 } from "../org-model.js";
import { getSessionToken } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const getSessionTokenMfa: ScenarioDefinition = {
  name: "get-session-token-mfa",
  build(kit) {
    const dave = kit.user(IDENTITY, "dave");
    const alice = kit.user(IDENTITY, "alice");
    const ip = dave.ips[0]!;
    const ua = kit.ua("cli");
    // GetSessionToken is not a role hop: later calls still show type IAMUser, with an ASIA key and MFA "true".
    const issued = getSessionToken(kit.ctx, {
      caller: kit.userKey(dave), time: kit.at(-2410), region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
      durationSeconds: 43200, serialNumber: dave.mfaSerial!,
    });
    kit.emit(issued.record);
    const target = { accountId: IDENTITY, region: US_EAST_1 };
    kit.call(issued.session, "iam:ListMFADevices", target, { time: kit.at(-40), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(0);
    const subject = kit.call(issued.session, globalServiceCall({ ...target, time: subjectTime }, "iam", "DeactivateMFADevice", false, {
      userName: "alice", serialNumber: alice.mfaSerial,
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "dave, in an MFA-authenticated GetSessionToken session, deactivated alice's MFA device. The ASIA key belongs to dave himself: no role, no hop.",
      subject,
      hops: [],
      origin: kit.userOrigin(dave, ip, true),
    });
  },
};
