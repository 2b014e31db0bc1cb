import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * The CloudTrail table as AWS's DDL declares it (cloudtrail-facts §7.1), as a type tree from which
 * both the DuckDB column types and the Hive-JsonSerDe-like row shaping are derived. Optional
 * columns (not in AWS's DDL) are switched on per table.
 */
type ColumnType = "string" | { struct: Record<string, ColumnType> } | { array: ColumnType } | "map";

export interface TableShape {
  /** Include useridentity.sessioncontext.sourceidentity, identityprovider, credentialid, inscopeof. */
  optionalColumns: boolean;
  partitioning: "projection" | "classic";
}

function columns(shape: TableShape): Record<string, ColumnType> {
  const s = "string" as const;
  const sessionContext: Record<string, ColumnType> = {
    attributes: { struct: { mfaauthenticated: s, creationdate: s } },
    sessionissuer: { struct: { type: s, principalid: s, arn: s, accountid: s, username: s } },
    ec2roledelivery: s,
    webidfederationdata: { struct: { federatedprovider: s, attributes: "map" } },
    ...(shape.optionalColumns ? { sourceidentity: s } : {}),
  };
  const userIdentity: Record<string, ColumnType> = {
    type: s, principalid: s, arn: s, accountid: s, invokedby: s, accesskeyid: s, username: s,
    onbehalfof: { struct: { userid: s, identitystorearn: s } },
    sessioncontext: { struct: sessionContext },
    ...(shape.optionalColumns ? { identityprovider: s, credentialid: s, inscopeof: { struct: { issuertype: s, credentialsissuedto: s } } } : {}),
  };
  return {
    eventversion: s, useridentity: { struct: userIdentity },
    eventtime: s, eventsource: s, eventname: s, awsregion: s, sourceipaddress: s, useragent: s, errorcode: s, errormessage: s,
    requestparameters: s, responseelements: s, additionaleventdata: s, requestid: s, eventid: s,
    resources: { array: { struct: { arn: s, accountid: s, type: s } } },
    eventtype: s, apiversion: s, readonly: s, recipientaccountid: s, serviceeventdetails: s, sharedeventid: s,
    vpcendpointid: s, vpcendpointaccountid: s, eventcategory: s, sessioncredentialfromconsole: s,
  };
}

export function partitionColumns(shape: TableShape): string[] {
  return shape.partitioning === "projection" ? ["timestamp", "region", "account"] : ["region", "year", "month", "day", "account"];
}

/** Every column name and struct field name of the table: the identifiers SQL may use. */
export function knownIdentifiers(shape: TableShape): Set<string> {
  const names = new Set<string>(partitionColumns(shape));
  const walk = (fields: Record<string, ColumnType>): void => {
    for (const [name, type] of Object.entries(fields)) {
      names.add(name);
      if (typeof type === "object" && "struct" in type) walk(type.struct);
    }
  };
  walk(columns(shape));
  return names;
}

export function duckDbColumnDefinitions(shape: TableShape): Record<string, string> {
  const duckType = (type: ColumnType): string => {
    if (type === "string") return "VARCHAR";
    if (type === "map") return "MAP(VARCHAR, VARCHAR)";
    if ("array" in type) return `${duckType(type.array)}[]`;
    return `STRUCT(${Object.entries(type.struct).map(([n, t]) => `"${n}" ${duckType(t)}`).join(", ")})`;
  };
  const defs: Record<string, string> = {};
  for (const [name, type] of Object.entries(columns(shape))) defs[name] = duckType(type);
  for (const name of partitionColumns(shape)) defs[name] = "VARCHAR";
  defs["__bytes"] = "BIGINT";
  return defs;
}

/** One log record and where its file was delivered (the S3 key's account, region and date). */
export interface StoredRecord {
  record: Record<string, unknown>;
  accountId: string;
  region: string;
  /** "YYYY/MM/DD" from the key: the delivery date, not the event's. */
  deliveryDate: string;
}

/**
 * A record as Hive's JsonSerDe reads it into the table: field names matched case-insensitively,
 * undeclared fields dropped, objects in STRING columns kept as JSON text, partition columns from
 * the key, plus the record's JSON size (__bytes) for bytes-scanned accounting.
 */
export function tableRow(stored: StoredRecord, shape: TableShape): Record<string, unknown> {
  const row = shapeStruct(stored.record, columns(shape)) ?? {};
  const [year = "", month = "", day = ""] = stored.deliveryDate.split("/");
  const partitions: Record<string, string> = shape.partitioning === "projection"
    ? { timestamp: stored.deliveryDate, region: stored.region, account: stored.accountId }
    : { region: stored.region, year, month, day, account: stored.accountId };
  return { ...row, ...partitions, __bytes: Buffer.byteLength(JSON.stringify(stored.record)) };
}

function shapeValue(value: unknown, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  if (type === "string") return typeof value === "string" ? value : JSON.stringify(value);
  if (type === "map") {
    if (typeof value !== "object" || Array.isArray(value)) return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  }
  if ("array" in type) return Array.isArray(value) ? value.map((v) => shapeValue(v, type.array)) : null;
  return shapeStruct(value, type.struct);
}

function shapeStruct(value: unknown, fields: Record<string, ColumnType>): Record<string, unknown> | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const byLowerName = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) out[name] = shapeValue(byLowerName.get(name), type);
  return out;
}

const KEY = /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json(?:\.gz)?$/;

/** Every record of the trail files under logsDir, with its key's account, region and delivery date. */
export async function readStoredRecords(logsDir: string): Promise<StoredRecord[]> {
  const stored: StoredRecord[] = [];
  for (const entry of await readdir(logsDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const key = KEY.exec(relative(logsDir, path).split("\\").join("/"));
    if (!key) continue;
    const [, accountId = "", region = "", y, m, d] = key;
    const bytes = await readFile(path);
    const document = JSON.parse((path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8")) as { Records?: unknown };
    if (!Array.isArray(document.Records)) continue;
    for (const record of document.Records as Record<string, unknown>[]) stored.push({ record, accountId, region, deliveryDate: `${y}/${m}/${d}` });
  }
  return stored;
}
