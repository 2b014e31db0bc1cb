/**
 * Run by duckdb-lookup.ts in a process of its own: the jq lookup as one DuckDB query over the gzipped
 * files (in-memory instance, DuckDB's default threads). Prints one JSON line: the seconds from loading
 * DuckDB to the answer, and the eventIDs found, or the error.
 *   node --import tsx bench/duckdb-lookup-child.ts LIST_FILE SESSION_ARN
 */
import { readFileSync } from "node:fs";

const [listFile, sessionArn] = process.argv.slice(2);
if (!listFile || !sessionArn) throw new Error("usage: duckdb-lookup-child.ts LIST_FILE SESSION_ARN");
const files = readFileSync(listFile, "utf8").split("\0").filter((p) => p !== "");

/**
 * Records is declared JSON[]: with format='auto' DuckDB infers one struct type for every record and
 * fails on these files (requestParameters and additionalEventData differ by API).
 */
const sql = `
  SELECT json_extract_string(r, '$.eventID') AS eventID
  FROM (SELECT unnest(Records) AS r FROM read_json(${sqlList(files)}, columns = {Records: 'JSON[]'}, maximum_object_size = 536870912))
  WHERE starts_with(json_extract_string(r, '$.eventName'), 'AssumeRole')
    AND json_extract_string(r, '$.responseElements.assumedRoleUser.arn') = $1`;

const started = performance.now();
try {
  const { DuckDBInstance, VARCHAR } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql, [sessionArn], [VARCHAR]);
  const eventIds = reader.getRows().map((row) => String(row[0])).sort();
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(`${JSON.stringify({ seconds, eventIds })}\n`);
} catch (error) {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, error: (error as Error).message })}\n`);
}

function sqlList(paths: readonly string[]): string {
  return `[${paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(", ")}]`;
}
