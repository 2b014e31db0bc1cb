import type { SweepConfig } from "../../schema/sweep-config.js";
import { matchesArnPattern } from "./arn-pattern.js";
import { normalizeIssuer, issuerHost } from "./oidc-issuer.js";

/**
 * What the sweep config admits. One rule for both directions: an account may use a role when it is
 * trusted and the role's account is trusted, or when an `allow` entry names that account and a
 * pattern matching the role (a vendor into our role, or one of ours into a partner's role).
 */

/** A role as an event names it. `pathKnown: false` when the event gives only the name (UpdateAssumeRolePolicy). */
export interface RoleRef {
  arn: string;
  pathKnown: boolean;
}

export function isTrustedAccount(config: SweepConfig, accountId: string | null): boolean {
  return accountId !== null && config.trustedAccounts.includes(accountId);
}

/** Both accounts trusted, or an allow entry for (account, role). Same-account use is never judged: callers skip it. */
export function admitsAccountToRole(config: SweepConfig, accountId: string, roleAccountId: string, role: RoleRef | null): boolean {
  if (isTrustedAccount(config, accountId) && isTrustedAccount(config, roleAccountId)) return true;
  return role !== null && config.allow.some((entry) => entry.callerAccount === accountId && rolePatternMatches(entry.roleArn, role));
}

/**
 * With the path unknown the event's ARN is built as `…:role/<name>`. A pattern whose role-name part
 * has no wildcard still identifies one role (names are unique within an account, whatever the path),
 * so it is compared without its path; a pattern like `role/vendors/*` cannot be decided and does not admit.
 */
export function rolePatternMatches(pattern: string, role: RoleRef): boolean {
  if (matchesArnPattern(pattern, role.arn)) return true;
  if (role.pathKnown) return false;
  const marker = pattern.indexOf(":role/");
  if (marker < 0) return false;
  const head = pattern.slice(0, marker + ":role/".length);
  const rest = pattern.slice(head.length);
  const name = rest.slice(rest.lastIndexOf("/") + 1);
  return !name.includes("*") && name !== rest && matchesArnPattern(head + name, role.arn);
}

/**
 * An AssumeRoleWithWebIdentity is expected when a webIdentity entry matches its provider, subject and
 * role. The list is an allowlist like `allow`: when it is empty, no web identity is expected, and every
 * one into a trusted account is reported (list `{"provider": …, "subject": "*"}` to accept a provider).
 * A provider given as a bare host (token.actions.githubusercontent.com) matches every issuer on that
 * host; one with a path (oidc.eks.…/id/ABC) matches that issuer only.
 */
export function admitsWebIdentity(config: SweepConfig, issuer: string, subject: string, roleArn: string): boolean {
  return config.webIdentity.some((entry) => {
    const wanted = normalizeIssuer(entry.provider);
    const providerMatches = wanted === issuer || wanted === issuerHost(issuer);
    return providerMatches && matchesArnPattern(entry.subject, subject) && matchesArnPattern(entry.roleArn, roleArn);
  });
}
