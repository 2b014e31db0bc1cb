import { globalServiceCall } from "../api-catalog.js";
import { PROD, US_EAST_1 } from "../org-model.js";
import { expirationText } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const iamUserDirect: ScenarioDefinition = {
  name: "iam-user-direct",
  build(kit) {
    const legacy = kit.user(PROD, "legacy-app");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const caller = kit.userKey(legacy);
    const target = { accountId: PROD, region: US_EAST_1 };
    kit.call(caller, "sts:GetCallerIdentity", target, { time: kit.at(-95), sourceIPAddress: ip, userAgent: ua });
    kit.call(caller, "iam:ListUsers", target, { time: kit.at(-61), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(0);
    const subject = kit.call(caller, globalServiceCall({ ...target, time: subjectTime }, "iam", "CreateUser", false, { userName: "support-backup" }, {
      responseElements: { user: { path: "/", userName: "support-backup", userId: `AIDA${kit.ctx.ids.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17)}`, arn: `arn:aws:iam::${PROD}:user/support-backup`, createDate: expirationText(subjectTime) } },
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "legacy-app's long-term access key (AKIA…), used from an outside IP, created a new IAM user. There is no session to follow: the key is the origin.",
      subject,
      hops: [],
      origin: kit.userOrigin(legacy, ip, null),
    });
  },
};
