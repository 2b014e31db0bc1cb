/**
 * Athena execution parameters are SQL literal texts ("'AssumeRole'", "42"). The emulator parses
 * each into a typed value and binds it to a real prepared-statement `?`, so a parameter can never
 * become SQL: anything that is not exactly one literal is rejected, as Athena rejects it.
 * Supported: string literals ('' escapes a quote) and integers. (Athena's CAST('…' AS DATE) is
 * not needed by the source and is rejected.)
 */
export type BoundValue = string | bigint;

export function parseParameterLiteral(text: string): BoundValue {
  if (/^-?\d{1,18}$/.test(text)) return BigInt(text);
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const body = text.slice(1, -1);
    // Inside the quotes every quote must be doubled; a lone quote would end the literal early.
    if (/^(?:[^']|'')*$/.test(body)) return body.replaceAll("''", "'");
  }
  throw new Error(`execution parameter is not a single SQL literal: ${text.slice(0, 80)}`);
}
