/**
 * The Trino → DuckDB shim: checks that a statement stays inside the small SQL subset the Athena
 * source emits, and rewrites only the table reference. Trino's functions are provided by DuckDB
 * macros of the same name (TRINO_FUNCTION_MACROS), so call sites are not rewritten:
 *   json_extract_scalar(json, path) → json_extract_string (DuckDB returns the JSON text of an
 *       object where Trino returns NULL; the source only extracts string scalars)
 *   from_iso8601_timestamp(text)    → CAST(text AS TIMESTAMPTZ)
 *   regexp_like(text, pattern)      → regexp_matches (both search, not full-match; the source anchors
 *       its one pattern, '^[0-9]+$', itself)
 * and these, the same in both engines, are allowed as they are (crossAccountOnly / roleNames):
 *   split_part(text, delimiter, index) (past the last field Trino gives NULL, DuckDB ''),
 *   reverse(text), lower(text), coalesce(a, b), and the keyword FALSE.
 * Their delimiters and indexes arrive as parameters like every value (an index is an integer
 * literal parameter, bound as BIGINT).
 * Refused (the query FAILS, so tests catch drift in the source): any other function, keyword or
 * identifier that is not a column/field/alias, string literals other than JSON paths ('$.a.b'),
 * numeric literals (values must be parameters), `?` outside WHERE, and a WHERE without the
 * partition predicate as its first conjunct on a partitioned table.
 */
export const TRINO_FUNCTION_MACROS = [
  "CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)",
  "CREATE MACRO from_iso8601_timestamp(t) AS CAST(t AS TIMESTAMPTZ)",
  "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
];

const KEYWORDS = new Set(["select", "from", "where", "and", "or", "in", "is", "not", "null", "as", "order", "by", "asc", "desc", "false"]);
const FUNCTIONS = new Set(["json_extract_scalar", "from_iso8601_timestamp", "regexp_like", "split_part", "reverse", "lower", "coalesce"]);
const PARTITION_TOKENS = new Set(["(", ")", ",", "?", "=", "in", "and", "or"]);

interface Token { kind: "word" | "quoted" | "string" | "param" | "symbol" | "number"; text: string }

export interface ShimmedStatement {
  duckSql: string;
  /** The partition predicate (first WHERE conjunct) in DuckDB SQL, and how many `?` it holds; null when absent. */
  partitionSql: string | null;
  partitionParameterCount: number;
  parameterCount: number;
}

export interface ShimContext {
  /** "db"."table" as the source writes it → the DuckDB table. */
  database: string;
  table: string;
  duckTable: string;
  identifiers: ReadonlySet<string>;
  partitionColumns: readonly string[];
}

export function shimStatement(sql: string, context: ShimContext): ShimmedStatement {
  const tokens = tokenize(sql);
  const lower = (i: number): string => tokens[i]?.text.toLowerCase() ?? "";
  if (lower(0) !== "select") throw new Error("emulator: only SELECT statements are supported");

  const aliases = new Set<string>();
  tokens.forEach((t, i) => { if (lower(i - 1) === "as" && t.kind === "word") aliases.add(t.text.toLowerCase()); });

  const whereAt = tokens.findIndex((t) => t.kind === "word" && t.text.toLowerCase() === "where");
  const fromAt = tokens.findIndex((t) => t.kind === "word" && t.text.toLowerCase() === "from");
  if (fromAt < 0) throw new Error("emulator: no FROM");
  const [db, dot, table] = [tokens[fromAt + 1], tokens[fromAt + 2], tokens[fromAt + 3]];
  if (db?.kind !== "quoted" || dot?.text !== "." || table?.kind !== "quoted" || unquote(db.text) !== context.database || unquote(table.text) !== context.table) {
    throw new Error(`emulator: FROM must name "${context.database}"."${context.table}"`);
  }

  tokens.forEach((t, i) => {
    const text = t.text.toLowerCase();
    if (t.kind === "number") throw new Error(`emulator: numeric literal ${t.text} (values must be parameters)`);
    if (t.kind === "param" && (whereAt < 0 || i < whereAt)) throw new Error("emulator: ? outside WHERE");
    if (t.kind === "string" && !/^'\$(\.[A-Za-z][A-Za-z0-9]*)+'$/.test(t.text)) throw new Error(`emulator: string literal ${t.text} in SQL text (values must be parameters)`);
    if (t.kind === "quoted" && i !== fromAt + 1 && i !== fromAt + 3 && !context.partitionColumns.includes(unquote(t.text))) {
      throw new Error(`emulator: unknown quoted identifier ${t.text}`);
    }
    if (t.kind !== "word") return;
    if (KEYWORDS.has(text) || aliases.has(text) || context.identifiers.has(text)) return;
    if (FUNCTIONS.has(text) && tokens[i + 1]?.text === "(") return;
    throw new Error(`emulator: unsupported SQL word "${t.text}"`);
  });

  let partitionSql: string | null = null;
  let partitionParameterCount = 0;
  if (whereAt >= 0 && tokens[whereAt + 1]?.text === "(") {
    const close = matchingParen(tokens, whereAt + 1);
    const inner = tokens.slice(whereAt + 2, close);
    const onlyPartitions = inner.every((t) => PARTITION_TOKENS.has(t.text.toLowerCase()) || (t.kind === "quoted" && context.partitionColumns.includes(unquote(t.text))));
    if (onlyPartitions && lower(close + 1) === "and") {
      partitionSql = inner.map((t) => t.text).join(" ");
      partitionParameterCount = inner.filter((t) => t.kind === "param").length;
    }
  }
  if (context.partitionColumns.length > 0 && partitionSql === null) {
    throw new Error("emulator: WHERE does not start with a partition predicate ((partition columns only) AND …)");
  }

  const rewritten = tokens.map((t, i) => (i === fromAt + 1 ? context.duckTable : i === fromAt + 2 || i === fromAt + 3 ? "" : t.text));
  return {
    duckSql: rewritten.filter((t) => t !== "").join(" "),
    partitionSql,
    partitionParameterCount,
    parameterCount: tokens.filter((t) => t.kind === "param").length,
  };
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|('(?:[^']|'')*')|("[A-Za-z_][A-Za-z0-9_]*")|(\?)|([A-Za-z_][A-Za-z0-9_]*)|(\d+(?:\.\d+)?)|(>=|<=|<>|!=|[=<>(),.*])/y;
  let at = 0;
  while (at < sql.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(sql);
    if (!m) throw new Error(`emulator: unsupported SQL at "${sql.slice(at, at + 20)}"`);
    at = pattern.lastIndex;
    if (m[1]) tokens.push({ kind: "string", text: m[1] });
    else if (m[2]) tokens.push({ kind: "quoted", text: m[2] });
    else if (m[3]) tokens.push({ kind: "param", text: "?" });
    else if (m[4]) tokens.push({ kind: "word", text: m[4] });
    else if (m[5]) tokens.push({ kind: "number", text: m[5] });
    else if (m[6]) tokens.push({ kind: "symbol", text: m[6] });
  }
  return tokens;
}

function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]?.text === "(") depth++;
    if (tokens[i]?.text === ")" && --depth === 0) return i;
  }
  throw new Error("emulator: unbalanced parentheses");
}

function unquote(text: string): string {
  return text.slice(1, -1);
}
