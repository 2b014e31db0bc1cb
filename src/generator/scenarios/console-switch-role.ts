import { s3BucketCall } from "../api-catalog.js";
import type { UserSessionCaller } from "../identities.js";
import { EU_WEST_1, IDENTITY, PROD, US_EAST_1 } from "../org-model.js";
import { iamUserConsoleLogin, switchRole } from "../signin-events.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const consoleSwitchRole: ScenarioDefinition = {
  name: "console-switch-role",
  build(kit) {
    const bob = kit.user(IDENTITY, "bob");
    const ip = bob.ips[2]!;
    const browser = kit.ua("browser");
    const loginTime = kit.at(-1530);
    kit.emit(iamUserConsoleLogin(kit.ctx, bob, IDENTITY, { time: loginTime, sourceIPAddress: ip, userAgent: browser, mfaUsed: true, success: true }));
    const console: UserSessionCaller = {
      kind: "user-session", user: bob, accessKeyId: kit.ctx.ids.temporaryAccessKeyId(), creationMs: loginTime, mfaAuthenticated: true, console: true,
    };
    kit.call(console, "iam:GetAccountSummary", { accountId: IDENTITY, region: US_EAST_1 }, { time: kit.at(-1490), sourceIPAddress: ip, userAgent: "AWS Internal" });

    // The switch: SwitchRole carries the real IP; both AssumeRole copies say "AWS Internal".
    const t = kit.at(0);
    const issued = kit.assumeRole({
      caller: console, role: kit.role(PROD, "ProdAdmin"), sessionName: "bob", time: t, region: US_EAST_1, endpoint: "global",
      sourceIPAddress: ip, userAgent: "AWS Internal", console: true,
    });
    const session = issued.session;
    kit.emit(switchRole(kit.ctx, session, bob.arn, { time: t, region: US_EAST_1, sourceIPAddress: ip, userAgent: browser }));
    // Console requests are signed with keys the console mints on the fly, never the AssumeRole's key.
    kit.call(session, "s3:ListBuckets", { accountId: PROD, region: US_EAST_1 }, { time: kit.at(35), sourceIPAddress: ip, userAgent: "AWS Internal" });
    const bucket = { name: "example-prod-customer-exports", region: EU_WEST_1 };
    kit.call(session, s3BucketCall(kit.ctx, { accountId: PROD, region: EU_WEST_1, time: kit.at(71) }, "GetBucketPolicy", true, "policy", {}, bucket), { accountId: PROD, region: EU_WEST_1 }, { time: kit.at(71), sourceIPAddress: ip, userAgent: "AWS Internal" });
    const subjectTime = kit.at(233);
    const policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-prod-customer-exports/*"}]}';
    const put = s3BucketCall(kit.ctx, { accountId: PROD, region: EU_WEST_1, time: subjectTime }, "PutBucketPolicy", false, "policy", {}, bucket);
    const subject = kit.call(session, { ...put, requestParameters: { ...(put.requestParameters as object), bucketPolicy: JSON.parse(policy) as unknown } }, { accountId: PROD, region: EU_WEST_1 }, {
      time: subjectTime, sourceIPAddress: ip, userAgent: "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.227-197.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.432-b07 java/1.8.0_432 vendor/Oracle_Corporation cfg/retry-mode/standard]",
    });
    return kit.trace({
      story: "bob signed in to the console with MFA, switched role into ProdAdmin in prod and made the customer-exports bucket public. The console signs each request with a fresh key, so the chain is found by session ARN and creationDate; SwitchRole holds bob's real IP.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.ownerCopy, callerCopy: issued.callerCopy, matchedBy: "assumedRoleArn", callerType: "IAMUser" })],
      origin: kit.userOrigin(bob, ip, true),
    });
  },
};
