import { recordAccountId, type CloudTrailEvent } from "../cloudtrail-event.js";
import { arnAccountId, parseRoleArn } from "../issuing-events.js";
import { stringAt, stringField } from "../json-value.js";
import type { RoleRef } from "./config-admission.js";

/**
 * Which role an event is about. STS events name the role by ARN (with its IAM path); IAM trust-policy
 * events by name only (UpdateAssumeRolePolicy) or by name + path (CreateRole), in the account whose
 * log holds them.
 */

export interface AssumeRoleTarget {
  roleArn: string | null;
  roleAccountId: string | null;
}

/** The role an AssumeRole* call is for; the role owner's copy (AWSAccount caller) also tells the account by where it was delivered. */
export function assumeRoleTarget(event: CloudTrailEvent): AssumeRoleTarget {
  const roleArn = stringField(event.requestParameters, "roleArn");
  const roleAccountId = arnAccountId(roleArn)
    ?? (event.userIdentity?.type === "AWSAccount" ? recordAccountId(event) : null);
  return { roleArn, roleAccountId };
}

/** Role ARNs with their paths, as successful calls in the same sweep showed them: "account/lower-case name" → ARN. */
export type KnownRoleArns = ReadonlyMap<string, string>;

export function knownRoleArns(events: readonly CloudTrailEvent[]): KnownRoleArns {
  const book = new RoleArnBook();
  for (const event of events) book.remember(event);
  return book.known;
}

/** knownRoleArns, kept up as events arrive: a sweep need not hold its events to know their roles. */
export class RoleArnBook {
  private readonly arns = new Map<string, string>();
  /** Each ARN's key ("" when it names no role): a window's calls name a few dozen roles, thousands of times. */
  private readonly keyOfArn = new Map<string, string>();

  get known(): KnownRoleArns {
    return this.arns;
  }

  remember(event: CloudTrailEvent): void {
    if (event.errorCode !== null) return;
    if (event.eventName === "CreateRole") this.rememberArn(stringAt(event.responseElements, "role", "arn"));
    else if (event.eventName.startsWith("AssumeRole")) this.rememberArn(stringField(event.requestParameters, "roleArn"));
  }

  private rememberArn(arn: string | null): void {
    if (arn === null) return;
    let key = this.keyOfArn.get(arn);
    if (key === undefined) {
      const role = parseRoleArn(arn);
      key = role ? roleKey(role.accountId, role.roleName) : "";
      this.keyOfArn.set(arn, key);
    }
    if (key !== "") this.arns.set(key, arn);
  }
}

function roleKey(accountId: string, roleName: string): string {
  // IAM role names are unique case-insensitively within an account.
  return `${accountId}/${roleName.toLowerCase()}`;
}

export interface ChangedRole {
  accountId: string | null;
  role: RoleRef | null;
}

/** The role whose trust policy a CreateRole / UpdateAssumeRolePolicy set. */
export function changedRole(event: CloudTrailEvent, known: KnownRoleArns): ChangedRole {
  const accountId = recordAccountId(event) ?? event.userIdentity?.accountId ?? null;
  const createdArn = event.eventName === "CreateRole" ? stringAt(event.responseElements, "role", "arn") : null;
  if (createdArn) return { accountId: accountId ?? arnAccountId(createdArn), role: { arn: createdArn, pathKnown: true } };
  const roleName = stringField(event.requestParameters, "roleName");
  if (!roleName || !accountId) return { accountId, role: null };
  const partition = event.userIdentity?.arn?.split(":")[1] || "aws";
  if (event.eventName === "CreateRole") {
    // CreateRole without a logged response: the requested path, "/" when none was given.
    const path = stringField(event.requestParameters, "path") ?? "/";
    return { accountId, role: { arn: `arn:${partition}:iam::${accountId}:role${path}${roleName}`, pathKnown: true } };
  }
  const seen = known.get(roleKey(accountId, roleName));
  if (seen) return { accountId, role: { arn: seen, pathKnown: true } };
  return { accountId, role: { arn: `arn:${partition}:iam::${accountId}:role/${roleName}`, pathKnown: false } };
}
