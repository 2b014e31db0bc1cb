import { kmsKeyId, serviceCall } from "../api-catalog.js";
import type { RoleSession } from "../identities.js";
import { DEV, EU_WEST_1, sessionArnOf } from "../org-model.js";
import { DAY_MS, HOUR_MS, expirationText } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const issuingEventMissing: ScenarioDefinition = {
  name: "issuing-event-missing",
  // A few hours in: the session was issued before the first log file, within its 12 h lifetime.
  placement: "early",
  build(kit) {
    const role = kit.role(DEV, "DevAdmin");
    const creationMs = kit.env.startMs - 5 * HOUR_MS - kit.rng.between(60, 3000) * 1000;
    // DevAdmin/erin is assumed again and again inside the logs: none of those issued this session.
    const session: RoleSession = {
      kind: "role-session", role, sessionName: "erin", arn: sessionArnOf(role, "erin"), principalId: `${role.roleId}:erin`,
      accessKeyId: kit.ctx.ids.temporaryAccessKeyId(), creationMs, expiresMs: creationMs + 12 * HOUR_MS, mfaAuthenticated: false,
      sourceIdentity: null, ec2RoleDelivery: null, webIdFederation: null, console: false, inScopeOf: null,
    };
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const target = { accountId: DEV, region: EU_WEST_1 };
    kit.call(session, "kms:DescribeKey", target, { time: kit.at(0), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(58);
    const subject = kit.call(session, serviceCall({ ...target, time: subjectTime }, "kms", "ScheduleKeyDeletion", false, {
      keyId: kmsKeyId(DEV, EU_WEST_1, "default"), pendingWindowInDays: 7,
    }, {
      responseElements: { keyId: `arn:aws:kms:${EU_WEST_1}:${DEV}:key/${kmsKeyId(DEV, EU_WEST_1, "default")}`, deletionDate: expirationText(subjectTime + 7 * DAY_MS), keyState: "PendingDeletion", pendingWindowInDays: 7 },
      resources: [{ accountId: DEV, type: "AWS::KMS::Key", ARN: `arn:aws:kms:${EU_WEST_1}:${DEV}:key/${kmsKeyId(DEV, EU_WEST_1, "default")}` }],
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "A DevAdmin/erin session scheduled a KMS key for deletion. Its creationDate is five hours before the first log file, so the AssumeRole that issued it is not in the logs; the many other DevAdmin/erin AssumeRoles in the corpus are not it.",
      subject,
      hops: [],
      // The chain stops before any origin: the session is known, who started it is not.
      origin: null,
      gapReasons: ["issuer-not-found"],
    });
  },
};
