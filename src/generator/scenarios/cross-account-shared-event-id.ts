import { globalServiceCall } from "../api-catalog.js";
import { IDENTITY, PROD, US_EAST_1 } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const crossAccountSharedEventId: ScenarioDefinition = {
  name: "cross-account-shared-event-id",
  build(kit) {
    const terraform = kit.user(IDENTITY, "terraform");
    const role = kit.role(PROD, "terraform-apply");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("terraform");
    // "terraform" is also the session name of every routine plan: only key + creationDate single this one out.
    const issued = kit.assumeRole({
      caller: kit.userKey(terraform, 1), role, sessionName: "terraform", time: kit.at(0), region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ip, userAgent: ua,
    });
    const session = issued.session;
    const target = { accountId: PROD, region: US_EAST_1 };
    kit.call(session, "sts:GetCallerIdentity", target, { time: kit.at(6), sourceIPAddress: ip, userAgent: ua });
    kit.call(session, "iam:GetRole", target, { time: kit.at(19), sourceIPAddress: ip, userAgent: ua });
    // The routine plan from the CI runner, with the first key, gets the same session ARN moments later.
    const routine = kit.assumeRole({
      caller: kit.userKey(terraform, 0), role, sessionName: "terraform", time: kit.at(31), region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: terraform.ips[0]!, userAgent: ua,
    });
    kit.call(routine.session, "ec2:DescribeVpcs", target, { time: kit.at(38), sourceIPAddress: terraform.ips[0]!, userAgent: ua });
    const subjectTime = kit.at(52);
    const subject = kit.call(session, globalServiceCall({ ...target, time: subjectTime }, "iam", "PutRolePolicy", false, {
      roleName: "app-server-role", policyName: "ops-debug",
      policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","iam:PassRole","sts:AssumeRole"],"Resource":"*"}]}',
    }, { resourceArn: "arn:aws:iam::222222222222:role/workloads/app-server-role" }), target, { time: subjectTime, sourceIPAddress: ip, userAgent: ua });
    kit.keyReuseDecoy(session.accessKeyId, kit.between(session.creationMs, subjectTime));
    return kit.trace({
      story: "The terraform user's second access key, from an IP that is not the CI runner, assumed terraform-apply in prod and gave app-server-role an inline s3:*/PassRole policy. The prod copy of the AssumeRole names only the identity account; the identity account's copy (same sharedEventID) names the user.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.ownerCopy, callerCopy: issued.callerCopy, callerType: "IAMUser" })],
      origin: kit.userOrigin(terraform, ip, false),
    });
  },
};
