/**
 * The Lake SQL the emulator accepts, and its translation to DuckDB. Lake speaks a Trino dialect;
 * the emulator runs a small subset of it — one SELECT over one event data store, no joins, no
 * subqueries, no statement separators or comments, only the functions below — and refuses
 * anything else, so a source that drifts outside what was checked fails loudly here.
 *
 * Translation (the "shim"), token by token:
 * - FROM <eds-id> → FROM "<eds-id>" (Lake takes the bare id; DuckDB needs a hyphenated name quoted);
 * - element_at(map, key) → map_extract_value(map, key) (DuckDB's element_at returns a list);
 * - json_extract_scalar(json, path) → json_extract_string(json, path);
 * - json_format(x) → CAST(x AS VARCHAR) (DuckDB has no json_format; CAST(map AS JSON) is native);
 * - regexp_like(text, pattern) → regexp_matches(text, pattern) (both search; patterns anchor themselves);
 * - split_part, reverse, lower, coalesce (crossAccountOnly / roleNames) are the same in both, except
 *   that split_part past the last field is NULL in Trino and '' in DuckDB;
 * - `timestamp '…'` literals, CAST, comparisons, IN, AND/OR/NOT, LIKE, FALSE are the same in both.
 * Numeric literals: only a one-digit index as the last argument of split_part (`, 5)`); any other
 * number is refused (no value in the source's SQL is a number).
 */

export type ShimResult =
  | { ok: true; duckdbSql: string; table: string; window: EventTimeWindow }
  | { ok: false; message: string };

/** The eventTime bounds the WHERE clause names (loosest of each side); null = unbounded. */
export interface EventTimeWindow { fromMs: number | null; toMs: number | null }

interface Token { kind: "word" | "string" | "number" | "symbol" | "table"; text: string; start: number; end: number }

const FUNCTIONS = new Map<string, string | null>([
  ["element_at", "map_extract_value"],
  ["json_extract_scalar", "json_extract_string"],
  ["json_format", null],
  ["cast", "CAST"],
  ["regexp_like", "regexp_matches"],
  ["split_part", "split_part"],
  ["reverse", "reverse"],
  ["lower", "lower"],
  ["coalesce", "coalesce"],
]);
/** Keywords that may stand before "(" without being a function call. */
const PAREN_KEYWORDS = new Set(["select", "where", "and", "or", "not", "in", "distinct"]);
const FORBIDDEN = new Set(["join", "union", "with", "intersect", "except", "into", "values", "lateral", "unnest"]);

const TOKEN = /\s+|'(?:[^']|'')*'|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|<>|!=|[=<>(),.*]/y;
const TABLE = /[A-Za-z0-9][A-Za-z0-9-]*/y;

export function translateLakeSql(sql: string, tables: ReadonlySet<string>): ShimResult {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    const previous = tokens[tokens.length - 1];
    if (previous?.kind === "word" && previous.text.toLowerCase() === "from" && /\s/.test(sql[at] ?? "")) {
      const space = /\s+/y;
      space.lastIndex = at;
      space.exec(sql);
      TABLE.lastIndex = space.lastIndex;
      const table = TABLE.exec(sql);
      if (!table) return refuse(`expected an event data store id after FROM at ${space.lastIndex}`);
      tokens.push({ kind: "table", text: table[0], start: table.index, end: TABLE.lastIndex });
      at = TABLE.lastIndex;
      continue;
    }
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(sql);
    if (!match) return refuse(`unsupported character ${JSON.stringify(sql[at])} at ${at}`);
    at = TOKEN.lastIndex;
    const text = match[0];
    if (/^\s/.test(text)) continue;
    const kind = text.startsWith("'") ? "string" : /^\d/.test(text) ? "number" : /^[A-Za-z_]/.test(text) ? "word" : "symbol";
    tokens.push({ kind, text, start: match.index, end: at });
  }

  const words = tokens.filter((t) => t.kind === "word").map((t) => t.text.toLowerCase());
  if (words[0] !== "select" || tokens[0]?.kind !== "word") return refuse("only SELECT statements are supported");
  if (words.filter((w) => w === "select").length !== 1) return refuse("subqueries are not supported");
  const forbidden = words.find((w) => FORBIDDEN.has(w));
  if (forbidden) return refuse(`${forbidden.toUpperCase()} is not supported`);
  const tableTokens = tokens.filter((t) => t.kind === "table");
  if (tableTokens.length !== 1) return refuse("exactly one FROM <event data store id> is required");
  const table = tableTokens[0]!.text;
  if (!tables.has(table)) return refuse(`no event data store ${table}`);

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "number") continue;
    if (!/^[1-9]$/.test(token.text) || tokens[i - 1]?.text !== "," || tokens[i + 1]?.text !== ")" || !isSplitPartIndex(tokens, i)) {
      return refuse(`numeric literal ${token.text} is not supported`);
    }
  }

  // Rewrites as [start, end, replacement], applied right to left.
  const edits: Array<[number, number, string]> = [];
  const closers = new Map<number, string>();
  let depth = 0;
  const pendingCloseAtDepth: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === "table") edits.push([token.start, token.end, `"${token.text}"`]);
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (next?.text === "(" && !PAREN_KEYWORDS.has(lower)) {
        if (!FUNCTIONS.has(lower)) return refuse(`function ${token.text} is not supported`);
        const replacement = FUNCTIONS.get(lower);
        if (replacement) edits.push([token.start, token.end, replacement]);
        else {
          edits.push([token.start, token.end, "CAST"]);
          pendingCloseAtDepth.push(depth + 1);
        }
      }
    }
    if (token.text === "(") depth++;
    if (token.text === ")") {
      if (pendingCloseAtDepth[pendingCloseAtDepth.length - 1] === depth) {
        pendingCloseAtDepth.pop();
        closers.set(token.start, " AS VARCHAR)");
      }
      depth--;
      if (depth < 0) return refuse("unbalanced parentheses");
    }
  }
  if (depth !== 0) return refuse("unbalanced parentheses");
  for (const [start, replacement] of closers) edits.push([start, start + 1, replacement]);
  edits.sort((a, b) => b[0] - a[0]);
  let duckdbSql = sql;
  for (const [start, end, replacement] of edits) duckdbSql = duckdbSql.slice(0, start) + replacement + duckdbSql.slice(end);
  return { ok: true, duckdbSql, table, window: eventTimeWindow(tokens) };
}

/** Whether the token at `at` is an argument of split_part: the call its closing ")" ends is split_part's. */
function isSplitPartIndex(tokens: readonly Token[], at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const text = tokens[i]!.text;
    if (text === ")") depth++;
    if (text === "(") {
      if (depth === 0) return tokens[i - 1]?.text.toLowerCase() === "split_part";
      depth--;
    }
  }
  return false;
}

/** `eventTime >= timestamp '…'` and `eventTime <= timestamp '…'` (either order of bound). */
function eventTimeWindow(tokens: readonly Token[]): EventTimeWindow {
  const lows: number[] = [];
  const highs: number[] = [];
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [column, op, keyword, literal] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!];
    if (column.text.toLowerCase() !== "eventtime" || keyword.text.toLowerCase() !== "timestamp" || literal.kind !== "string") continue;
    const ms = Date.parse(`${literal.text.slice(1, -1).replace(" ", "T")}Z`);
    if (Number.isNaN(ms)) continue;
    if (op.text === ">=" || op.text === ">") lows.push(ms);
    if (op.text === "<=" || op.text === "<") highs.push(ms);
  }
  // Approximation: a statement OR-ing several windows is taken to scan from the earliest start to the
  // latest end (Lake prunes by eventTime, not by the rest of the predicate).
  return { fromMs: lows.length > 0 ? Math.min(...lows) : null, toMs: highs.length > 0 ? Math.max(...highs) : null };
}

function refuse(message: string): ShimResult {
  return { ok: false, message };
}
