import { PROD, US_EAST_1 } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const callerAccountLogsMissing: ScenarioDefinition = {
  name: "caller-account-logs-missing",
  build(kit) {
    const vendor = kit.org.outside.vendor;
    const role = kit.role(PROD, "vendor-monitoring");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("vendor");
    // The vendor's usual role and session name (assumed hourly all corpus long), from an unusual IP.
    const issued = kit.assumeRole({
      caller: { kind: "outside", account: vendor }, role, sessionName: "cloudlens-collector", time: kit.at(0), region: US_EAST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua, durationSeconds: 3600,
    });
    const session = issued.session;
    const target = { accountId: PROD, region: US_EAST_1 };
    kit.call(session, "ssm:GetParameter", target, { time: kit.at(33), sourceIPAddress: ip, userAgent: ua });
    const subject = kit.call(session, "ssm:GetParametersByPath", target, { time: kit.at(81), sourceIPAddress: ip, userAgent: ua });
    return kit.trace({
      story: "vendor-monitoring in prod was assumed from the vendor's account 999999999999, whose logs the org does not have, and read production parameters. Only the AWSAccount owner copy exists: the chain ends at the vendor account.",
      subject,
      hops: [kit.hop({ sessionArn: session.arn, issuing: issued.ownerCopy, callerType: "AWSAccount" })],
      origin: kit.origin({ type: "AWSAccount", accountId: vendor.id, sourceIPAddress: ip }),
      gapReasons: ["caller-account-logs-missing"],
    });
  },
};
