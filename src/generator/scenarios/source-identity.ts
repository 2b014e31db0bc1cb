import { serviceCall } from "../api-catalog.js";
import { EU_WEST_1, IDENTITY, PROD } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const sourceIdentity: ScenarioDefinition = {
  name: "source-identity",
  build(kit) {
    const carol = kit.user(IDENTITY, "carol");
    const ip = carol.ips[0]!;
    const ua = kit.ua("cli");
    // sourceIdentity is set once and travels through every chained session unchanged.
    const engineer = kit.assumeRole({
      caller: kit.userKey(carol), role: kit.role(IDENTITY, "engineer"), sessionName: "carol", time: kit.at(0), region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua, sourceIdentity: "carol",
    });
    const exporter = kit.assumeRole({
      caller: engineer.session, role: kit.role(PROD, "data-export"), sessionName: "carol", time: kit.at(64), region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    });
    const target = { accountId: PROD, region: EU_WEST_1 };
    kit.call(exporter.session, "rds:DescribeDBSnapshots", target, { time: kit.at(130), sourceIPAddress: ip, userAgent: ua });
    const subjectTime = kit.at(297);
    const subject = kit.call(exporter.session, serviceCall({ ...target, time: subjectTime }, "rds", "ModifyDBSnapshotAttribute", false, {
      dBSnapshotIdentifier: "orders-db-2026-11-17", attributeName: "restore", valuesToAdd: ["555555555555"],
    }, {
      responseElements: { dBSnapshotIdentifier: "orders-db-2026-11-17", dBSnapshotAttributes: [{ attributeName: "restore", attributeValues: ["555555555555"] }] },
    }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "carol set sourceIdentity \"carol\" on her first AssumeRole; two hops later the data-export session in prod shared an orders-db snapshot with an unknown account, still carrying sourceIdentity carol.",
      subject,
      hops: [
        kit.hop({ sessionArn: exporter.session.arn, issuing: exporter.ownerCopy, callerCopy: exporter.callerCopy, callerType: "AssumedRole" }),
        kit.hop({ sessionArn: engineer.session.arn, issuing: engineer.ownerCopy, callerType: "IAMUser" }),
      ],
      origin: kit.userOrigin(carol, ip, false, "carol"),
    });
  },
};
