import { DEV, EU_WEST_1, PROD, US_EAST_1 } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * The monitoring vendor (999999999999, outside the org) assumes vendor-monitoring in prod and in dev,
 * as the config's allow entry says it may: no finding. Only the role owner's AWSAccount copy exists.
 * The background's hourly vendor polls are the same call and are no finding either.
 */
export const sweepAllowedVendor: ScenarioDefinition = {
  name: "sweep-allowed-vendor",
  placement: "sweep",
  build(kit) {
    const vendor = { kind: "outside" as const, account: kit.org.outside.vendor };
    const ua = kit.ua("vendor");
    for (const [accountId, region, offset] of [[PROD, US_EAST_1, 0], [DEV, EU_WEST_1, 95]] as const) {
      const ip = kit.rng.pick(kit.org.ips.vendor);
      const issued = kit.assumeRole({
        caller: vendor, role: kit.role(accountId, "vendor-monitoring"), sessionName: "cloudlens-collector", time: kit.at(offset), region,
        endpoint: "regional", sourceIPAddress: ip, userAgent: ua, durationSeconds: 3600,
      });
      const target = { accountId, region };
      kit.call(issued.session, "monitoring:GetMetricData", target, { time: kit.at(offset + 4), sourceIPAddress: ip, userAgent: ua });
      kit.call(issued.session, "tagging:GetResources", target, { time: kit.at(offset + 11), sourceIPAddress: ip, userAgent: ua });
    }
    return null;
  },
};
