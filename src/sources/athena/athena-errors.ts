/**
 * One-line descriptions of Athena API failures, with the permission to check when access is denied:
 * a query needs athena:* on the workgroup, glue:Get* on the table, s3:GetObject/ListBucket on the
 * trail bucket and s3:PutObject/GetObject on the output location, and the message alone rarely says which.
 */
export function describeAthenaError(error: unknown): string {
  const name = errorName(error);
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  const line = name && message && !message.startsWith(name) ? `${name}: ${message}` : message || name || "unknown error";
  const hint = isAccessDenied(name, message) ? ` (needs ${permissionHint(message)})` : "";
  return `${line}${hint}`.slice(0, 400);
}

/** Athena's own reason for a FAILED or CANCELLED query, on one line. */
export function describeFailedQuery(state: string, reason: string | undefined, athenaMessage: string | undefined): string {
  const text = (athenaMessage || reason || "no reason given").replace(/\s+/g, " ").trim();
  const hint = isAccessDenied("", text) ? ` (needs ${permissionHint(text)})` : "";
  return `query ${state}: ${text}${hint}`.slice(0, 400);
}

function isAccessDenied(name: string, message: string): boolean {
  return /AccessDenied|not authorized|Access Denied|Insufficient permissions/i.test(`${name} ${message}`);
}

function permissionHint(message: string): string {
  if (/glue/i.test(message)) return "glue:GetTable, glue:GetDatabase, glue:GetPartitions on the table";
  if (/s3|bucket|Access Denied/i.test(message)) return "s3:GetObject/s3:ListBucket on the trail bucket and s3:PutObject/s3:GetObject on the query output location";
  return "athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults on the workgroup";
}

function errorName(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" && name !== "Error" ? name : "";
}
