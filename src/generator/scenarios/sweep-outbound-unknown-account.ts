import { IDENTITY, US_EAST_1, outsideRole } from "../org-model.js";
import { assumeRole, failedAssumeRole } from "../sts-calls.js";
import { MINUTE_MS } from "../time-format.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * grace's access key reaches out of the org to account 777777777777, which the config does not name:
 * one AssumeRole succeeds, one is denied. Only the caller's copies exist (the role owner's copy of
 * the successful call goes to 777777777777; a denied cross-account call is logged only in the
 * caller's account): two outbound findings, the denied one without a sharedEventID.
 */
export const sweepOutboundUnknownAccount: ScenarioDefinition = {
  name: "sweep-outbound-unknown-account",
  placement: "sweep",
  build(kit) {
    const grace = kit.user(IDENTITY, "grace");
    const external = kit.org.outside.external.id;
    const ip = grace.ips[2]!;
    const ua = kit.ua("cli");
    const caller = kit.userKey(grace);
    const issued = assumeRole(kit.ctx, {
      caller, role: outsideRole(external, "partner-data-drop"), sessionName: "grace", time: kit.at(0), region: US_EAST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    });
    if (!issued.callerCopy) throw new Error("an org caller's cross-account AssumeRole has a caller copy");
    kit.emit(issued.callerCopy);
    const denied = kit.emit(failedAssumeRole(kit.ctx, {
      caller, role: outsideRole(external, "OrganizationAccountAccessRole"), sessionName: "grace", time: kit.at(0) + kit.rng.between(2, 6) * MINUTE_MS,
      region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    }));
    kit.expectFinding("outbound-cross-account-assume-role", issued.callerCopy,
      "grace's access key assumed partner-data-drop in account 777777777777, an account outside the org that the sweep config does not name; only identity's copy of the call is logged.");
    kit.expectFinding("outbound-cross-account-assume-role", denied,
      "grace's access key tried OrganizationAccountAccessRole in account 777777777777 and was denied; a denied cross-account AssumeRole is logged only in the caller's account.");
    return null;
  },
};
