import { s3ObjectCall } from "../api-catalog.js";
import { EU_WEST_1, PROD } from "../org-model.js";
import { MINUTE_MS } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * The allowed vendor, from its usual addresses and with its usual session name, assumes data-export
 * in prod, a role its allow entry does not cover: finding. The owner copy is delivered 40-55 minutes
 * late (within the config's 1 h overlap), so an incremental sweep meets it one run after its eventTime.
 */
export const sweepVendorWrongRole: ScenarioDefinition = {
  name: "sweep-vendor-wrong-role",
  placement: "sweep",
  build(kit) {
    const vendor = { kind: "outside" as const, account: kit.org.outside.vendor };
    const ip = kit.rng.pick(kit.org.ips.vendor);
    const ua = kit.ua("vendor");
    const t = kit.at(0);
    const issued = kit.assumeRole({
      caller: vendor, role: kit.role(PROD, "data-export"), sessionName: "cloudlens-collector", time: t, region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua, durationSeconds: 3600,
    }, { deliverAtMs: t + kit.rng.between(40, 55) * MINUTE_MS });
    const target = { accountId: PROD, region: EU_WEST_1 };
    const bucket = { name: "example-prod-customer-exports", region: EU_WEST_1 };
    kit.call(issued.session, s3ObjectCall(kit.ctx, { ...target, time: kit.at(21) }, "ListObjects", true, 31_877, 0, { bucket, key: "" }), target, { time: kit.at(21), sourceIPAddress: ip, userAgent: ua });
    kit.call(issued.session, s3ObjectCall(kit.ctx, { ...target, time: kit.at(48) }, "GetObject", true, 9_412_336, 0, { bucket, key: "exports/customers-2026-11.csv.gz" }), target, { time: kit.at(48), sourceIPAddress: ip, userAgent: ua });
    kit.expectFinding("unexpected-cross-account-assume-role", issued.ownerCopy,
      "The monitoring vendor's account 999999999999 assumed data-export in prod, a role its allow entry (vendor-monitoring only) does not cover, and downloaded a customer export.");
    return null;
  },
};
