import { globalServiceCall } from "../api-catalog.js";
import type { RootCaller } from "../identities.js";
import { DEV, US_EAST_1 } from "../org-model.js";
import { rootConsoleLogin } from "../signin-events.js";
import { expirationText } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const rootDirect: ScenarioDefinition = {
  name: "root-direct",
  build(kit) {
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const browser = kit.ua("browser");
    const loginTime = kit.at(-212);
    kit.emit(rootConsoleLogin(kit.ctx, DEV, { time: loginTime, sourceIPAddress: ip, userAgent: browser, mfaUsed: false, success: true }));
    const root: RootCaller = { kind: "root", accountId: DEV, accessKeyId: kit.ctx.ids.temporaryAccessKeyId(), creationMs: loginTime, mfaAuthenticated: false, console: true };
    const target = { accountId: DEV, region: US_EAST_1 };
    kit.call(root, "iam:ListUsers", target, { time: kit.at(-150), sourceIPAddress: ip, userAgent: "AWS Internal" });
    const subjectTime = kit.at(0);
    const subject = kit.call(root, globalServiceCall({ ...target, time: subjectTime }, "iam", "CreateAccessKey", false, null, {
      responseElements: { accessKey: { accessKeyId: kit.ctx.ids.longTermAccessKeyId(), status: "Active", createDate: expirationText(subjectTime) } },
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: "AWS Internal" });
    return kit.trace({
      story: "Someone signed in to the dev account as root without MFA and created a root access key. No role was involved: the origin is the root user itself.",
      subject,
      hops: [],
      origin: kit.origin({ type: "Root", arn: `arn:aws:iam::${DEV}:root`, accountId: DEV, sourceIPAddress: ip, mfaAuthenticated: false }),
    });
  },
};
