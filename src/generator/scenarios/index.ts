import type { ExpectedTrace } from "../expected-trace.js";
import { streamFor } from "../prng.js";
import { HOUR_MS, MINUTE_MS, SECOND_MS } from "../time-format.js";
import type { PendingRecord } from "../trail-writer.js";
import { callerAccountLogsMissing } from "./caller-account-logs-missing.js";
import { consoleSwitchRole } from "./console-switch-role.js";
import { creationDateMissing } from "./creation-date-missing.js";
import { crossAccountSharedEventId } from "./cross-account-shared-event-id.js";
import { ec2InstanceProfile } from "./ec2-instance-profile.js";
import { failedAssumeRoleIgnored } from "./failed-assume-role-ignored.js";
import { federationToken } from "./federation-token.js";
import { getSessionTokenMfa } from "./get-session-token-mfa.js";
import { githubActionsOidc } from "./github-actions-oidc.js";
import { iamUserDirect } from "./iam-user-direct.js";
import { identityCenter } from "./identity-center.js";
import { issuingEventMissing } from "./issuing-event-missing.js";
import { lateDelivery } from "./late-delivery.js";
import { mfaSingleHop } from "./mfa-single-hop.js";
import { roleChaining } from "./role-chaining.js";
import { rootDirect } from "./root-direct.js";
import { samlMultiAccount } from "./saml-multi-account.js";
import { sameSessionNameDifferentCallers } from "./same-session-name-different-callers.js";
import { ScenarioKit, type ScenarioDefinition, type ScenarioEnv } from "./scenario-kit.js";
import { sourceIdentity } from "./source-identity.js";
import { stsInOtherRegion } from "./sts-in-other-region.js";
import { twoAssumeRolesOneSecondApart } from "./two-assume-roles-one-second-apart.js";

/** In corpus order; neighbours differ in account and region. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  issuingEventMissing,
  mfaSingleHop,
  ec2InstanceProfile,
  roleChaining,
  crossAccountSharedEventId,
  identityCenter,
  samlMultiAccount,
  federationToken,
  consoleSwitchRole,
  twoAssumeRolesOneSecondApart,
  lateDelivery,
  failedAssumeRoleIgnored,
  githubActionsOidc,
  sourceIdentity,
  rootDirect,
  stsInOtherRegion,
  getSessionTokenMfa,
  callerAccountLogsMissing,
  iamUserDirect,
  sameSessionNameDifferentCallers,
  creationDateMissing,
];

/** The slices: after 16 h (creation-date-missing looks 14 h back) and before the last 5 h (late delivery lands 3 h on). */
const FIRST_SLICE_MS = 16 * HOUR_MS;
const LAST_SLICE_GAP_MS = 5 * HOUR_MS;
export const MIN_DAYS = 2;

export interface BuiltScenarios {
  traces: ExpectedTrace[];
  records: PendingRecord[];
  bytes: number;
}

/**
 * Builds every scenario in its own time slice, each from its own PRNG stream named after it, so a
 * scenario's event ids depend only on the seed, its name and its slice.
 */
export function buildScenarios(env: ScenarioEnv, seed: number): BuiltScenarios {
  const spread = SCENARIOS.filter((s) => s.placement !== "early");
  const from = env.startMs + FIRST_SLICE_MS;
  const sliceMs = (env.endMs - LAST_SLICE_GAP_MS - from) / spread.length;
  const traces: ExpectedTrace[] = [];
  const records: PendingRecord[] = [];
  for (const definition of SCENARIOS) {
    const rng = streamFor(seed, `scenario:${definition.name}`);
    const index = spread.indexOf(definition);
    const base = index < 0
      ? env.startMs + 3 * HOUR_MS + rng.int(60) * MINUTE_MS
      : from + (index + 0.5) * sliceMs + (rng.float() - 0.5) * Math.min(30 * MINUTE_MS, sliceMs / 4);
    const anchorMs = Math.floor(base / SECOND_MS) * SECOND_MS;
    const kit = new ScenarioKit(definition.name, env, anchorMs, rng);
    traces.push(definition.build(kit));
    records.push(...kit.records);
  }
  return { traces, records, bytes: records.reduce((sum, r) => sum + r.json.length, 0) };
}
