/**
 * `*`-wildcard patterns (config role ARNs, web-identity subjects). `*` matches any run of
 * characters, `/` and `:` included; every other character is literal — there is no `?`, no regex.
 *
 * Patterns come from config and the texts from logs an attacker may write, so the matcher never
 * backtracks: the pattern is split at `*` into literal segments, the first must be a prefix, the
 * last a suffix, and each middle one is taken at its leftmost occurrence (always safe for `*`-only
 * patterns) with a KMP search that never moves back in the text. Time O(pattern + text).
 */
export function matchesArnPattern(pattern: string, text: string): boolean {
  const segments = pattern.split("*");
  if (segments.length === 1) return pattern === text;
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let position = first.length;
  const end = text.length - last.length;
  for (const segment of segments.slice(1, -1)) {
    if (segment === "") continue;
    const found = indexOfWithin(text, segment, position, end);
    if (found < 0) return false;
    position = found + segment.length;
  }
  return true;
}

/** Leftmost start of `needle` in text[from, to), or -1 (Knuth–Morris–Pratt: linear, no backtracking). */
function indexOfWithin(text: string, needle: string, from: number, to: number): number {
  const failure = failureTable(needle);
  let matched = 0;
  for (let i = from; i < to; i++) {
    while (matched > 0 && text[i] !== needle[matched]) matched = failure[matched - 1]!;
    if (text[i] === needle[matched]) matched++;
    if (matched === needle.length) return i - needle.length + 1;
  }
  return -1;
}

function failureTable(needle: string): number[] {
  const table = new Array<number>(needle.length).fill(0);
  let k = 0;
  for (let i = 1; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = table[k - 1]!;
    if (needle[i] === needle[k]) k++;
    table[i] = k;
  }
  return table;
}
