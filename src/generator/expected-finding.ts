import type { FindingKind } from "../schema/finding.js";
import type { JsonObject } from "./identities.js";

/**
 * A finding `rolechain sweep` must report over a generated corpus with OUT/sweep-config.json: all
 * of them, over the whole corpus, are in scenarios.json ("findings", sorted by eventTime then eventID).
 * A sweep over the corpus must report exactly these: no more, no less.
 *
 * How each field is read from the record the finding is about (the same rules the sweep follows):
 * - eventID: the role owner's copy for inbound AssumeRole (the only copy when the caller is outside
 *   the org); the caller's copy for outbound AssumeRole (the only one there is); else the record.
 * - sharedEventID: the record's sharedEventID, or null (denied calls, same-account and
 *   AssumeRoleWithWebIdentity records have none; IAM calls have none).
 * - roleArn: requestParameters.roleArn for AssumeRole*; responseElements.role.arn for CreateRole;
 *   for UpdateAssumeRolePolicy, which logs only the role name, the role's real ARN with its IAM path
 *   (e.g. arn:aws:iam::222222222222:role/admin/ProdAdmin). The record alone cannot tell the path: a
 *   sweep learns it from other successful calls naming the role (its AssumeRoles, its CreateRole).
 *   In every corpus each such role is also assumed at most 15 minutes before the change, so any sweep
 *   window holding the change can know the path.
 * - callerAccountId: userIdentity.accountId of the record: the outside account for inbound
 *   AssumeRole, the org account for outbound AssumeRole, the account of whoever changed the trust
 *   policy for trust-policy kinds; null for AssumeRoleWithWebIdentity (a WebIdentityUser has no account).
 * - eventTime: the record's eventTime.
 */
export interface ExpectedFinding {
  /** The scenario that embedded it (sweep-* scenarios, or a trace scenario that also breaks a sweep rule). */
  scenario: string;
  /** One sentence a responder would understand. */
  story: string;
  kind: FindingKind;
  eventID: string;
  sharedEventID: string | null;
  roleArn: string | null;
  callerAccountId: string | null;
  eventTime: string;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const obj = (v: unknown): JsonObject => (v !== null && typeof v === "object" ? (v as JsonObject) : {});

function roleArnOf(scenario: string, kind: FindingKind, record: JsonObject, roleArn: string | undefined): string | null {
  if (kind === "trust-policy-external-principal" || kind === "trust-policy-unconstrained-web-identity") {
    if (record["eventName"] === "CreateRole") return str(obj(obj(record["responseElements"])["role"])["arn"]);
    const roleName = str(obj(record["requestParameters"])["roleName"]);
    if (!roleArn || !roleName || !roleArn.endsWith(`/${roleName}`)) {
      throw new Error(`${scenario}: an UpdateAssumeRolePolicy finding needs the ARN of role ${roleName}`);
    }
    return roleArn;
  }
  return str(obj(record["requestParameters"])["roleArn"]);
}

/**
 * The finding `record` must produce, with its fields read as documented on ExpectedFinding.
 * `roleArn` is the changed role's ARN, needed for UpdateAssumeRolePolicy (its record names the role only).
 */
export function expectedFinding(scenario: string, story: string, kind: FindingKind, record: JsonObject, roleArn?: string): ExpectedFinding {
  const eventID = str(record["eventID"]);
  const eventTime = str(record["eventTime"]);
  if (!eventID || !eventTime) throw new Error(`${scenario}: a finding needs a record with eventID and eventTime`);
  return {
    scenario, story, kind, eventID,
    sharedEventID: str(record["sharedEventID"]),
    roleArn: roleArnOf(scenario, kind, record, roleArn),
    callerAccountId: kind === "web-identity-unexpected-subject" ? null : str(obj(record["userIdentity"])["accountId"]),
    eventTime,
  };
}

/** scenarios.json order: eventTime, then eventID. */
export function compareFindings(a: ExpectedFinding, b: ExpectedFinding): number {
  return a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0;
}
