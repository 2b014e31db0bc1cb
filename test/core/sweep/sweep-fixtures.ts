import { normalizeRecord, type CloudTrailEvent } from "../../../src/core/cloudtrail-event.js";
import { detectFindings, type DetectedFinding } from "../../../src/core/sweep/detect-findings.js";
import { SweepConfigSchema, type SweepConfig } from "../../../src/schema/sweep-config.js";
import { crossAccountAssumeRole, iamUserIdentity, longTermKey, tempKey, uuid, type RoleSession } from "../../helpers/cloudtrail-records.js";

/** The organisation of the detection tests: two trusted accounts, one allowed vendor, one stranger. */
export const ORG_A = "111111111111";
export const ORG_B = "222222222222";
export const VENDOR = "999999999999";
export const STRANGER = "555555555555";
export const PARTNER = "888888888888";

export const VENDOR_AUDIT = `arn:aws:iam::${ORG_B}:role/VendorAudit`;
export const PROD_ADMIN = `arn:aws:iam::${ORG_B}:role/ProdAdmin`;
export const GITHUB_DEPLOY = `arn:aws:iam::${ORG_A}:role/GitHubDeploy`;
export const GITHUB_PROVIDER = `arn:aws:iam::${ORG_A}:oidc-provider/token.actions.githubusercontent.com`;

export const T0 = "2026-11-16T10:15:00Z";

/** Parsed through the real schema, so defaults (webIdentity roleArn "*") are what users get. */
export function sweepConfig(overrides: Partial<Record<keyof SweepConfig, unknown>> = {}): SweepConfig {
  return SweepConfigSchema.parse({
    trustedAccounts: [ORG_A, ORG_B],
    allow: [
      { callerAccount: VENDOR, roleArn: VENDOR_AUDIT, note: "vendor audit" },
      { callerAccount: ORG_A, roleArn: `arn:aws:iam::${PARTNER}:role/PartnerShared` },
    ],
    webIdentity: [
      { provider: "token.actions.githubusercontent.com", subject: "repo:example-org/infra:ref:refs/heads/main", roleArn: GITHUB_DEPLOY },
    ],
    ...overrides,
  });
}

export function events(...records: unknown[]): CloudTrailEvent[] {
  return records.map((raw, i) => {
    const result = normalizeRecord(raw, { origin: `test#${i}`, accountId: null, region: null });
    if (!result.ok) throw new Error(result.reason);
    return result.event;
  });
}

export function detect(records: unknown[], config: SweepConfig = sweepConfig()): DetectedFinding[] {
  return detectFindings(events(...records), config);
}

export function user(accountId: string, userName: string): Record<string, unknown> {
  return iamUserIdentity({ accountId, userName, accessKeyId: longTermKey(`${accountId}:${userName}`) });
}

export function sessionOf(roleArn: string, sessionName: string, issuedAt = T0): RoleSession {
  return { roleArn, sessionName, accessKeyId: tempKey(`${roleArn}:${sessionName}:${issuedAt}`), issuedAt };
}

export { uuid as id };

/** Both copies of `caller` (an IAM user of callerAccount) assuming roleArn. */
export function crossCall(label: string, callerAccount: string, roleArn: string, extra: { ownerSourceIPAddress?: string } = {}) {
  return crossAccountAssumeRole({
    caller: user(callerAccount, `${label}-user`),
    session: sessionOf(roleArn, `${label}-session`),
    ownerEventID: uuid(`${label}:owner`),
    callerEventID: uuid(`${label}:caller`),
    sharedEventID: uuid(`${label}:shared`),
    sourceIPAddress: "203.0.113.66",
    ...extra,
  });
}
