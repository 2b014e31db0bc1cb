/** Safe readers for untrusted, loosely-shaped JSON (CloudTrail records are written by many services). */

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property only: a record's "__proto__" or "constructor" key must never reach the prototype chain. */
export function ownField(obj: unknown, key: string): unknown {
  if (!isJsonObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  return obj[key];
}

export function objectField(obj: unknown, key: string): JsonObject | null {
  const value = ownField(obj, key);
  return isJsonObject(value) ? value : null;
}

/** A non-empty string, or null. CloudTrail sometimes logs "" where a value is withheld. */
export function stringField(obj: unknown, key: string): string | null {
  const value = ownField(obj, key);
  return typeof value === "string" && value !== "" ? value : null;
}

export function stringAt(obj: unknown, ...path: string[]): string | null {
  let current: unknown = obj;
  for (const key of path.slice(0, -1)) current = ownField(current, key);
  const last = path[path.length - 1];
  return last === undefined ? null : stringField(current, last);
}

/**
 * requestParameters / responseElements are objects in trail files but JSON strings in some exports
 * (Athena, SIEM re-serialisations). Accept both.
 */
export function objectOrJsonString(value: unknown): JsonObject | null {
  if (isJsonObject(value)) return value;
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isJsonObject(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}
