import {
  OPTIONAL_COLUMNS, SQL_IDENTIFIER, type AthenaPartitioning, type AthenaTableSpec, type OptionalColumn,
} from "./athena-table-spec.js";

/*
 * athena://DATABASE.TABLE?partitioning=…[&workgroup=NAME][&output=s3://BUCKET/PREFIX/][&catalog=NAME][&columns=…]
 *
 *   partitioning (required) how the table is partitioned; every query names the partitions of its window:
 *     projection:DATECOL[,region:COL][,account:COL]
 *         partition projection on a 'yyyy/MM/dd' date column (AWS's example calls it `timestamp`),
 *         e.g. partitioning=projection:timestamp,region:region,account:account
 *         (region/account projected as `enum`; `injected` would force a value into every query)
 *     classic[:REGIONCOL/YEARCOL/MONTHCOL/DAYCOL][,account:COL]
 *         region/year/month/day partitions ('2026','11','07'), default names region/year/month/day,
 *         e.g. partitioning=classic,account:account
 *     none
 *         no partitions: every query scans the whole table (costly; only for small tables)
 *   workgroup   Athena workgroup (default: the caller's default, "primary")
 *   output      s3:// location for query results (needed unless the workgroup sets one)
 *   catalog     data catalog (default AwsDataCatalog)
 *   columns     comma-separated columns the table has beyond AWS's DDL:
 *               sourceidentity, identityprovider, inscopeof, credentialid (default: none;
 *               without sourceidentity a trace reports sourceIdentity as null)
 *
 * Partition values are DELIVERY dates (the S3 key's date), so each query widens its window by the
 * delivery slack (default 12 h) and clock skew (15 min) before choosing days.
 */
const KEYS = new Set(["partitioning", "workgroup", "output", "catalog", "columns"]);

export function parseAthenaUri(uri: string): AthenaTableSpec {
  const match = /^athena:\/\/([^/?#]+)(?:\?([^#]*))?$/.exec(uri);
  if (!match) throw new Error(`athena source: expected athena://DATABASE.TABLE?partitioning=…, got "${uri}"`);
  const [database, table, ...rest] = (match[1] ?? "").split(".");
  if (!database || !table || rest.length > 0) throw new Error(`athena source: "${match[1]}" is not DATABASE.TABLE`);
  identifier(database, "database");
  identifier(table, "table");

  const params = new URLSearchParams(match[2] ?? "");
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!KEYS.has(key)) throw new Error(`athena source: unknown key "${key}" (known: ${[...KEYS].join(", ")})`);
    if (seen.has(key)) throw new Error(`athena source: key "${key}" given twice`);
    seen.add(key);
  }
  const partitioningText = params.get("partitioning");
  if (!partitioningText) throw new Error("athena source: partitioning=… is required (projection:DATECOL[,region:COL][,account:COL], classic[,account:COL], or none)");

  const spec: AthenaTableSpec = { database, table, partitioning: parsePartitioning(partitioningText) };
  const workgroup = params.get("workgroup");
  if (workgroup !== null) {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(workgroup)) throw new Error(`athena source: workgroup "${workgroup}" is not a workgroup name`);
    spec.workgroup = workgroup;
  }
  const output = params.get("output");
  if (output !== null) {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(output)) throw new Error(`athena source: output "${output}" is not an s3://bucket/prefix location`);
    spec.outputLocation = output;
  }
  const catalog = params.get("catalog");
  if (catalog !== null) {
    if (!/^[A-Za-z0-9_@-]{1,256}$/.test(catalog)) throw new Error(`athena source: catalog "${catalog}" is not a catalog name`);
    spec.catalog = catalog;
  }
  const columns = params.get("columns");
  if (columns !== null) spec.optionalColumns = parseColumns(columns);
  return spec;
}

function parsePartitioning(text: string): AthenaPartitioning {
  const [head = "", ...options] = text.split(",");
  const [kind, argument] = splitOnce(head, ":");
  const extras = new Map<string, string>();
  for (const option of options) {
    const [key, column] = splitOnce(option, ":");
    if ((key !== "region" && key !== "account") || column === null) {
      throw new Error(`athena source: partitioning option "${option}" is not region:COLUMN or account:COLUMN`);
    }
    if (extras.has(key)) throw new Error(`athena source: partitioning option "${key}" given twice`);
    extras.set(key, identifier(column, `${key} partition column`));
  }
  const accountColumn = extras.get("account");
  const withAccount = accountColumn ? { accountColumn } : {};
  switch (kind) {
    case "projection": {
      if (!argument) throw new Error("athena source: partitioning=projection needs the date column, e.g. projection:timestamp");
      const regionColumn = extras.get("region");
      return { kind, dateColumn: identifier(argument, "date partition column"), ...(regionColumn ? { regionColumn } : {}), ...withAccount };
    }
    case "classic": {
      if (extras.has("region")) throw new Error("athena source: classic partitioning names its region column as classic:REGION/YEAR/MONTH/DAY");
      const names = argument === null ? ["region", "year", "month", "day"] : argument.split("/");
      if (names.length !== 4) throw new Error(`athena source: classic partitioning "${argument}" is not REGION/YEAR/MONTH/DAY`);
      const [regionColumn, yearColumn, monthColumn, dayColumn] = names.map((n) => identifier(n, "classic partition column")) as [string, string, string, string];
      return { kind, regionColumn, yearColumn, monthColumn, dayColumn, ...withAccount };
    }
    case "none":
      if (argument !== null || options.length > 0) throw new Error("athena source: partitioning=none takes no options");
      return { kind };
    default:
      throw new Error(`athena source: partitioning "${kind}" is not projection, classic or none`);
  }
}

function parseColumns(text: string): OptionalColumn[] {
  const columns = text.split(",").map((c) => c.trim().toLowerCase());
  for (const column of columns) {
    if (!(OPTIONAL_COLUMNS as readonly string[]).includes(column)) {
      throw new Error(`athena source: column "${column}" is not one of ${OPTIONAL_COLUMNS.join(", ")}`);
    }
  }
  return [...new Set(columns)] as OptionalColumn[];
}

function splitOnce(text: string, separator: string): [string, string | null] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

function identifier(name: string, what: string): string {
  if (!SQL_IDENTIFIER.test(name)) throw new Error(`athena source: ${what} "${name}" is not a plain identifier (letters, digits, _)`);
  return name;
}
