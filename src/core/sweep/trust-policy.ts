import { arnAccountId } from "../issuing-events.js";
import { isJsonObject, ownField, type JsonObject } from "../json-value.js";
import type { PolicyPrincipal } from "../../schema/finding.js";
import { matchesArnPattern } from "./arn-pattern.js";

/**
 * Who a role trust policy lets assume the role, read from CreateRole.assumeRolePolicyDocument /
 * UpdateAssumeRolePolicy.policyDocument. Those come from logs (attacker-written) and in several
 * shapes: an object, a JSON string, or the URL-encoded JSON IAM itself returns (`%7B%0A…`).
 *
 * The reading errs towards admitting: Deny statements are ignored (they could only narrow), NotAction
 * and a missing Action count as allowing AssumeRole, NotPrincipal counts as "*". A detector that
 * over-reads a policy raises a finding to triage; one that under-reads hides a backdoor.
 */

export interface ConditionClause {
  /** As written, e.g. "StringLike", "ForAnyValue:StringEquals", "ArnLikeIfExists". */
  operator: string;
  /** Lower-cased: IAM condition keys are case-insensitive. */
  key: string;
  /** Always strings (IAM compares numbers and booleans in the JSON as their text). */
  values: string[];
}

/** A principal an Allow statement admits, with the conditions that statement puts on it. */
export interface AdmittedPrincipal extends PolicyPrincipal {
  conditions: readonly ConditionClause[];
}

export type TrustPolicyParse =
  | { ok: true; principals: AdmittedPrincipal[] }
  | { ok: false; reason: string };

/** AWS caps trust policies at 4,096 characters; URL-encoding at most triples that. Anything far beyond is not a policy IAM accepted. */
const MAX_DOCUMENT_CHARS = 64 * 1024;

const ASSUME_ROLE_ACTIONS = ["sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity"];
const PRINCIPAL_KINDS = ["AWS", "Federated", "Service", "CanonicalUser"] as const;
/** Digits of any length, as elsewhere in rolechain: anonymised public samples shorten account ids. */
const ACCOUNT_ID = /^\d+$/;

class PolicyShapeError extends Error {}

export function parseTrustPolicy(document: unknown): TrustPolicyParse {
  const policy = policyObject(document);
  if (!policy.ok) return policy;
  try {
    const statements = statementList(ownField(policy.value, "Statement"));
    return { ok: true, principals: statements.flatMap(admittedBy) };
  } catch (error) {
    if (error instanceof PolicyShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}

function policyObject(document: unknown): { ok: true; value: JsonObject } | { ok: false; reason: string } {
  if (isJsonObject(document)) return { ok: true, value: document };
  if (typeof document !== "string") return { ok: false, reason: `the policy document is ${document === undefined ? "missing" : typeName(document)}, not JSON` };
  if (document.length > MAX_DOCUMENT_CHARS) return { ok: false, reason: `the policy document is ${document.length} characters long, more than IAM accepts` };
  const text = document.trim();
  const candidates = /^%7b/i.test(text) ? urlDecodings(text) : [text];
  for (const candidate of candidates) {
    const parsed = parseJson(candidate);
    if (isJsonObject(parsed)) return { ok: true, value: parsed };
  }
  return { ok: false, reason: "the policy document is not a JSON object" };
}

/** RFC 3986 percent-encoding (what IAM returns); form-encoding also turns spaces into "+". */
function urlDecodings(text: string): string[] {
  const out: string[] = [];
  for (const prepared of [text, text.replace(/\+/g, " ")]) {
    try {
      out.push(decodeURIComponent(prepared));
    } catch {
      // a malformed escape: try the next reading
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function statementList(statement: unknown): JsonObject[] {
  if (statement === undefined) throw new PolicyShapeError("the policy has no Statement");
  return listOf(statement).map((s, i) => {
    if (!isJsonObject(s)) throw new PolicyShapeError(`Statement[${i}] is not an object`);
    return s;
  });
}

function admittedBy(statement: JsonObject): AdmittedPrincipal[] {
  if (ownField(statement, "Effect") !== "Allow" || !allowsAssumeRole(statement)) return [];
  const conditions = conditionClauses(ownField(statement, "Condition"));
  const conditionKeys = [...new Set(conditions.map((c) => c.key))].sort();
  if (ownField(statement, "NotPrincipal") !== undefined) {
    // Allow + NotPrincipal admits everyone the list does not name.
    return [{ element: "NotPrincipal", kind: "*", value: "*", accountId: null, conditionKeys, conditions }];
  }
  const principal = ownField(statement, "Principal");
  if (principal === undefined) return [];
  if (principal === "*") return [{ element: "Principal", kind: "*", value: "*", accountId: null, conditionKeys, conditions }];
  if (!isJsonObject(principal)) throw new PolicyShapeError("Principal is neither \"*\" nor an object");
  return PRINCIPAL_KINDS.flatMap((kind) => stringList(ownField(principal, kind), `Principal.${kind}`).map((value) => ({
    element: "Principal" as const, kind, value, accountId: principalAccountId(kind, value), conditionKeys, conditions,
  })));
}

/**
 * Action patterns are case-insensitive; `?` is read as `*` (admitting more, never less). No Action —
 * NotAction instead, or neither — counts as allowing.
 */
function allowsAssumeRole(statement: JsonObject): boolean {
  const action = ownField(statement, "Action");
  if (action === undefined) return true;
  return stringList(action, "Action").some((pattern) => {
    const normalized = pattern.toLowerCase().replace(/\?/g, "*");
    return ASSUME_ROLE_ACTIONS.some((name) => matchesArnPattern(normalized, name));
  });
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  return listOf(value).map((item) => {
    if (typeof item !== "string") throw new PolicyShapeError(`${where} holds ${typeName(item)}, not a string`);
    return item;
  });
}

/** Condition: { operator: { key: value | value[] } }. */
function conditionClauses(condition: unknown): ConditionClause[] {
  if (condition === undefined) return [];
  if (!isJsonObject(condition)) throw new PolicyShapeError("Condition is not an object");
  return Object.keys(condition).flatMap((operator) => {
    const block = ownField(condition, operator);
    if (!isJsonObject(block)) throw new PolicyShapeError(`Condition.${operator} is not an object`);
    return Object.keys(block).map((key) => ({
      operator,
      key: key.toLowerCase(),
      values: listOf(ownField(block, key)).map(conditionValueText),
    }));
  });
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function conditionValueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new PolicyShapeError(`a condition value is ${typeName(value)}`);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" || type === "undefined" ? `an ${type}` : `a ${type}`;
}

/**
 * The account a principal belongs to: a bare account id, or the account field of an ARN
 * (`arn:aws:iam::123456789012:root`, `…:role/x`, `…:oidc-provider/…`). Null for "*", service names,
 * unique ids (AROA…/AIDA…: the account is not in them) and anything unrecognised.
 */
function principalAccountId(kind: string, value: string): string | null {
  if (kind === "AWS" && ACCOUNT_ID.test(value)) return value;
  return value.startsWith("arn:") ? arnAccountId(value) : null;
}
