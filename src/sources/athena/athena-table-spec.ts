/**
 * Which Athena table holds the trail, and how it is partitioned. Every statement the source sends
 * names the table's partitions for the searched window, so the partition scheme must be right:
 * with the wrong one Athena scans everything (or, with projection, finds nothing).
 */
export interface AthenaTableSpec {
  database: string;
  table: string;
  /** Data catalog; Athena's default is AwsDataCatalog. */
  catalog?: string;
  workgroup?: string;
  /** s3://… for query results; needed unless the workgroup enforces its own. */
  outputLocation?: string;
  partitioning: AthenaPartitioning;
  /**
   * Columns beyond the AWS-documented DDL that this table has (see RECOMMENDED_DDL_ADDITIONS).
   * Without sourceidentity / identityprovider the trace still works; those fields are just null.
   */
  optionalColumns?: readonly OptionalColumn[];
}

export type AthenaPartitioning =
  /** Partition projection on a 'yyyy/MM/dd' date column (delivery date), optionally region and account. */
  | { kind: "projection"; dateColumn: string; regionColumn?: string; accountColumn?: string }
  /** Partitions added by hand or by a crawler: region/year/month/day ('2026','11','07'), optionally account. */
  | { kind: "classic"; regionColumn: string; yearColumn: string; monthColumn: string; dayColumn: string; accountColumn?: string }
  /** No partitions: every statement scans the whole table (only the event-time filter applies). */
  | { kind: "none" };

export const OPTIONAL_COLUMNS = ["sourceidentity", "identityprovider", "inscopeof", "credentialid"] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/**
 * The columns to add to AWS's CloudTrail DDL so traces carry everything (Hive's JsonSerDe drops
 * fields the DDL does not declare). Only sourceidentity and identityprovider are read by the
 * tracer; inscopeof and credentialid are accepted for completeness and not selected.
 */
export const RECOMMENDED_DDL_ADDITIONS = `useridentity STRUCT<
  …, identityprovider:STRING, credentialid:STRING,
  inscopeof:STRUCT<issuertype:STRING, credentialsissuedto:STRING>,
  sessioncontext:STRUCT<…, sourceidentity:STRING> >`;

/** Athena identifiers the source writes into SQL (never values from logs): plain names only. */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function athenaOrigin(spec: AthenaTableSpec): string {
  return `athena://${spec.database}.${spec.table}`;
}
