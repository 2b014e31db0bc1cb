import { compareFindings, type ExpectedFinding } from "../expected-finding.js";
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
import { sweepAllowedVendor } from "./sweep-allowed-vendor.js";
import { sweepGithubOidcUnconstrained } from "./sweep-github-oidc-unconstrained.js";
import { sweepGithubOidcUnexpectedSubject } from "./sweep-github-oidc-unexpected-subject.js";
import { sweepNeverSeenAccount } from "./sweep-never-seen-account.js";
import { sweepOrgInternalCrossAccount } from "./sweep-org-internal-cross-account.js";
import { sweepOutboundUnknownAccount } from "./sweep-outbound-unknown-account.js";
import { sweepTrustPolicyOutsidePrincipal } from "./sweep-trust-policy-outside-principal.js";
import { sweepTrustPolicyTrustedOnly } from "./sweep-trust-policy-trusted-only.js";
import { sweepVendorWrongRole } from "./sweep-vendor-wrong-role.js";
import { twoAssumeRolesOneSecondApart } from "./two-assume-roles-one-second-apart.js";

/** The trace scenarios, in corpus order; neighbours differ in account and region. */
export const TRACE_SCENARIOS: readonly ScenarioDefinition[] = [
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

/**
 * The sweep scenarios: what `rolechain sweep` must and must not report. They sit between the trace
 * scenarios (placement "sweep") so the trace scenarios keep their times; two are placed around
 * github-actions-oidc, whose trust-policy change let account 555555555555 in: sweep-org-internal-cross-account
 * just before it, sweep-never-seen-account after it.
 */
export const SWEEP_SCENARIOS: readonly ScenarioDefinition[] = [
  sweepOrgInternalCrossAccount,
  sweepVendorWrongRole,
  sweepTrustPolicyTrustedOnly,
  sweepGithubOidcUnexpectedSubject,
  sweepOutboundUnknownAccount,
  sweepAllowedVendor,
  sweepTrustPolicyOutsidePrincipal,
  sweepGithubOidcUnconstrained,
  sweepNeverSeenAccount,
];

export const SCENARIOS: readonly ScenarioDefinition[] = [...TRACE_SCENARIOS, ...SWEEP_SCENARIOS];

/** The slices: after 16 h (creation-date-missing looks 14 h back) and before the last 5 h (late delivery lands 3 h on). */
const FIRST_SLICE_MS = 16 * HOUR_MS;
const LAST_SLICE_GAP_MS = 5 * HOUR_MS;
export const MIN_DAYS = 2;

export interface BuiltScenarios {
  traces: ExpectedTrace[];
  /** Every finding the scenarios declared, sorted by eventTime then eventID. */
  findings: ExpectedFinding[];
  records: PendingRecord[];
  bytes: number;
}

/**
 * Builds every scenario in its own time slice, each from its own PRNG stream named after it, so a
 * scenario's event ids depend only on the seed, its name and its slice.
 */
export function buildScenarios(env: ScenarioEnv, seed: number): BuiltScenarios {
  const spread = SCENARIOS.filter((s) => s.placement === undefined);
  const between = SCENARIOS.filter((s) => s.placement === "sweep");
  if (between.length >= spread.length) throw new Error("more sweep scenarios than borders between trace slices");
  const from = env.startMs + FIRST_SLICE_MS;
  const sliceMs = (env.endMs - LAST_SLICE_GAP_MS - from) / spread.length;
  const anchors = new Map<string, number>();
  const traces: ExpectedTrace[] = [];
  const findings: ExpectedFinding[] = [];
  const records: PendingRecord[] = [];
  for (const definition of SCENARIOS) {
    const rng = streamFor(seed, `scenario:${definition.name}`);
    const placement = definition.placement;
    let base: number;
    if (placement === undefined) {
      base = from + (spread.indexOf(definition) + 0.5) * sliceMs + (rng.float() - 0.5) * Math.min(30 * MINUTE_MS, sliceMs / 4);
    } else if (placement === "early") {
      base = env.startMs + 3 * HOUR_MS + rng.int(60) * MINUTE_MS;
    } else if (placement === "sweep") {
      // Evenly over the borders between trace slices, at least a quarter slice from any trace anchor.
      const border = Math.round(((between.indexOf(definition) + 1) * spread.length) / (between.length + 1));
      base = from + border * sliceMs + (rng.float() - 0.5) * Math.min(20 * MINUTE_MS, sliceMs / 4);
    } else {
      const after = anchors.get(placement.after);
      if (after === undefined) throw new Error(`${definition.name} must be listed after ${placement.after}`);
      base = after + rng.between(placement.minMinutes, placement.maxMinutes) * MINUTE_MS;
    }
    const anchorMs = Math.floor(base / SECOND_MS) * SECOND_MS;
    anchors.set(definition.name, anchorMs);
    const kit = new ScenarioKit(definition.name, env, anchorMs, rng);
    const trace = definition.build(kit);
    if (trace) traces.push(trace);
    findings.push(...kit.findings);
    records.push(...kit.records);
  }
  findings.sort(compareFindings);
  return { traces, findings, records, bytes: records.reduce((sum, r) => sum + r.json.length, 0) };
}
