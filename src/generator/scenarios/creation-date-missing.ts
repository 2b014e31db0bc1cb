import { serviceCall } from "../api-catalog.js";
import { PROD, US_EAST_1 } from "../org-model.js";
import type { RoleSession } from "../identities.js";
import type { IssuedCall } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/** The tracer's default lookback for sessions without creationDate; candidates are counted inside it. */
const LOOKBACK_HOURS = 12;

export const creationDateMissing: ScenarioDefinition = {
  name: "creation-date-missing",
  build(kit) {
    const runner = kit.user(PROD, "backup-runner");
    const role = kit.role(PROD, "nightly-backup");
    const ip = runner.ips[0]!;
    const ua = kit.ua("goSdk");
    const target = { accountId: PROD, region: US_EAST_1 };
    // The backup job assumes nightly-backup/backup every few hours; noise never touches this ARN.
    kit.env.reservations.reserveArn(`arn:aws:sts::${PROD}:assumed-role/nightly-backup/backup`);
    const offsetsMinutes = [-14 * 60 - 7, -10 * 60 - 2, -7 * 60 + 3, -4 * 60 - 11, -35];
    let latest: IssuedCall<RoleSession> | null = null;
    for (const minutes of offsetsMinutes) {
      const at = kit.at(minutes * 60 + kit.rng.between(0, 50));
      latest = kit.assumeRole({
        caller: kit.userKey(runner), role, sessionName: "backup", time: at, region: US_EAST_1, endpoint: "regional",
        sourceIPAddress: ip, userAgent: ua, durationSeconds: 3600,
      });
      kit.call(latest.session, "rds:CreateDBSnapshot", target, { time: at + 20_000, sourceIPAddress: ip, userAgent: ua });
    }
    const issued = latest!;
    const candidates = offsetsMinutes.filter((m) => -m < LOOKBACK_HOURS * 60).length;
    const subjectTime = kit.at(0);
    // A stripped export: the subject's sessionContext.attributes lost creationDate.
    const subject = kit.call(issued.session, serviceCall({ ...target, time: subjectTime }, "rds", "DeleteDBSnapshot", false, { dBSnapshotIdentifier: "orders-db-weekly-2026-11-15" }), target, {
      time: subjectTime, sourceIPAddress: ip, userAgent: ua, omitCreationDate: true,
    });
    return kit.trace({
      story: `nightly-backup/backup deleted a weekly snapshot, but this export of the record lost sessionContext.attributes.creationDate. The session ARN was issued ${candidates} times in the ${LOOKBACK_HOURS} h before; the latest one issued the key the subject used.`,
      subject,
      hops: [kit.hop({ sessionArn: issued.session.arn, issuing: issued.ownerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(runner, ip, false),
      fallback: { candidates },
    });
  },
};
