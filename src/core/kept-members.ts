import { isJsonObject, type JsonObject } from "./json-value.js";

/** Members kept: whole (true), or, for an object, only its members listed in turn. */
interface MembersSpec {
  readonly [name: string]: true | MembersSpec;
}

/**
 * The members of requestParameters, responseElements and additionalEventData that rolechain reads;
 * normalizeRecord keeps these and drops the rest: the members nobody reads (additionalEventData's
 * RequestDetails, credentials.expiration, a CreateRole response's role details, request tags …) are
 * not carried by the events a trace or the sweep's detection holds. credentials.sessionToken is
 * dropped too: a credential, and ~40% of an AssumeRole record. test/core/kept-members.test.ts fails when code under src/ reads a member
 * that is not listed here, or when a listed one is read nowhere.
 */
export const KEPT_MEMBERS = {
  requestParameters: {
    roleArn: true, roleSessionName: true, serialNumber: true, sourceIdentity: true,
    roleName: true, path: true, policyDocument: true, assumeRolePolicyDocument: true,
  },
  responseElements: {
    credentials: { accessKeyId: true }, assumedRoleUser: { arn: true }, federatedUser: { arn: true },
    role: { arn: true, assumeRolePolicyDocument: true }, provider: true, subjectFromWebIdentityToken: true, sourceIdentity: true,
  },
  additionalEventData: { SwitchFrom: true },
} as const satisfies Record<"requestParameters" | "responseElements" | "additionalEventData", MembersSpec>;

/**
 * A new object with only `spec`'s own members of `source`; null when none of them is there (every
 * reader treats a missing object and an empty one alike, and most records have nothing to keep in
 * additionalEventData). A member that should be an object but is not (a JSON string in some exports)
 * is kept as it is: readers decide what it means.
 */
export function keepMembers(source: JsonObject | null, spec: MembersSpec): JsonObject | null {
  if (source === null) return null;
  let kept: Record<string, unknown> | null = null;
  for (const name in spec) {
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const value = source[name];
    const inner = spec[name]!;
    kept ??= {};
    kept[name] = inner === true || !isJsonObject(value) ? value : keepMembers(value, inner) ?? {};
  }
  return kept;
}
