import type { ConditionClause } from "./trust-policy.js";
import { GITHUB_ACTIONS_HOST, issuerHost } from "./oidc-issuer.js";

/**
 * Whether a trust statement's Condition really narrows who it admits. Conditions in one statement
 * are ANDed, so one narrowing clause is enough; the values of one clause are ORed, so every value
 * must narrow. Only positive operators narrow: StringNotEquals/StringNotLike/Null on a key admit
 * everyone else, and a value that starts with a wildcard lets the caller choose its beginning.
 */

const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/**
 * Keys that bound the calling identity to an account, organization or principal. sts:ExternalId is
 * deliberately not one: it is a shared string, not an identity, and with Principal "*" anyone who
 * learns it gets in. Nor are network keys (aws:SourceIp, aws:SourceVpc): they say where, not who.
 */
const IDENTITY_KEYS = new Set([
  "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
  "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths",
]);

/** Issuers whose `aud` is the customer's own app / identity pool, so pinning it pins who can sign in. */
const AUDIENCE_PINNED_ISSUERS = new Set(["cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"]);

export function boundsCallerIdentity(conditions: readonly ConditionClause[]): boolean {
  return conditions.some((c) => IDENTITY_KEYS.has(c.key) && isPositive(c.operator) && c.values.length > 0
    && c.values.every((v) => !startsWithWildcard(v)));
}

/**
 * Whether web identities of `issuer` are pinned to known subjects: a positive condition on
 * `<issuer>:sub` (or `<issuer>:aud` where the audience is the customer's own). For GitHub Actions a
 * `sub` pattern must fix the repository owner: `repo:*` or `repo:acme*` admit other people's repositories.
 */
export function constrainsWebIdentitySubject(issuer: string, conditions: readonly ConditionClause[]): boolean {
  const subKey = `${issuer}:sub`;
  const audKey = `${issuer}:aud`;
  const github = issuerHost(issuer) === GITHUB_ACTIONS_HOST;
  return conditions.some((c) => {
    if (!isPositive(c.operator) || c.values.length === 0) return false;
    if (c.key === subKey) return c.values.every((v) => (github ? fixesGitHubOwner(v) : !startsWithWildcard(v)));
    if (c.key === audKey && AUDIENCE_PINNED_ISSUERS.has(issuer)) return c.values.every((v) => !startsWithWildcard(v));
    return false;
  });
}

/** "ForAnyValue:StringLike", "StringEqualsIfExists" → positive; "StringNotLike", "Null" → not. */
function isPositive(operator: string): boolean {
  const base = operator.toLowerCase().replace(/^for(any|all)value:/, "").replace(/ifexists$/, "");
  return POSITIVE_OPERATORS.has(base);
}

function startsWithWildcard(value: string): boolean {
  return value === "" || value.startsWith("*") || value.startsWith("?");
}

/**
 * GitHub subjects are `repo:<owner>/<repo>:<context>`. A pattern fixes the owner when its text before
 * the first wildcard already contains `repo:<owner>/`. Customised subject formats (not starting with
 * `repo:`) cannot be read that way; they count as fixed unless they start with a wildcard.
 */
function fixesGitHubOwner(value: string): boolean {
  const wildcard = value.search(/[*?]/);
  if (wildcard < 0) return true;
  const literal = value.slice(0, wildcard);
  if (literal === "") return false;
  if (!literal.toLowerCase().startsWith("repo:")) return true;
  return /^repo:[^/]+\//i.test(literal);
}
