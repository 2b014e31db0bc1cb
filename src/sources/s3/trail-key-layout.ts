/**
 * Where a CloudTrail trail writes in its bucket (cloudtrail-facts §5.1), as S3 key prefixes:
 *   PREFIX/AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_…json.gz
 * PREFIX is the trail's optional "S3 key prefix": whatever comes before AWSLogs/. Pure: no I/O.
 */
import type { TimeRange } from "../../core/event-query.js";
import type { DeliveryTolerance } from "../local/file-pruning.js";
import { ACCOUNT_ID, ORGANIZATION_ID, REGION } from "../local/log-file-facts.js";

export interface S3Location {
  bucket: string;
  /** "" or a prefix ending in one "/", e.g. "org-trail/". */
  prefix: string;
}

/** One account's log folder: PREFIX/AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/. */
export interface AccountLogFolder {
  organizationId: string | null;
  accountId: string;
  /** The folder's key prefix, ending in "CloudTrail/". */
  prefix: string;
}

// General purpose bucket names: 3–63 of [a-z0-9.-], starting and ending alphanumeric.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DAY_MS = 86_400_000;

/** s3://BUCKET[/PREFIX] with the prefix normalised to "" or "a/b/"; null when it is not such a URI. */
export function parseS3Uri(uri: string): S3Location | null {
  if (!uri.toLowerCase().startsWith("s3://")) return null;
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) return null;
  const trimmed = (slash === -1 ? "" : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, "");
  return { bucket, prefix: trimmed === "" ? "" : `${trimmed}/` };
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function awsLogsPrefix(location: S3Location): string {
  return `${location.prefix}AWSLogs/`;
}

/**
 * The folders directly under AWSLogs/ (from a listing with Delimiter "/"): organization folders
 * (o-…/, whose accounts are one level further down) and account folders of a plain trail. Both can
 * sit side by side when an account trail and an organization trail share the bucket.
 */
export function parseAwsLogsFolders(
  awsLogs: string, commonPrefixes: readonly string[],
): { organizationPrefixes: string[]; accounts: AccountLogFolder[] } {
  const organizationPrefixes: string[] = [];
  const accounts: AccountLogFolder[] = [];
  for (const child of childFolders(awsLogs, commonPrefixes)) {
    if (ORGANIZATION_ID.test(child)) organizationPrefixes.push(`${awsLogs}${child}/`);
    else if (ACCOUNT_ID.test(child)) accounts.push(accountFolder(awsLogs, null, child));
  }
  return { organizationPrefixes, accounts };
}

/** The account folders under AWSLogs/o-ORGID/. */
export function parseOrganizationFolders(organizationPrefix: string, commonPrefixes: readonly string[]): AccountLogFolder[] {
  const organizationId = organizationPrefix.split("/").at(-2) ?? "";
  return childFolders(organizationPrefix, commonPrefixes)
    .filter((child) => ACCOUNT_ID.test(child))
    .map((accountId) => accountFolder(organizationPrefix, organizationId, accountId));
}

/** The region folders under …/ACCOUNT/CloudTrail/ (digest, insight and network-activity folders are siblings of CloudTrail/, so never here). */
export function parseRegionFolders(cloudTrailPrefix: string, commonPrefixes: readonly string[]): string[] {
  return childFolders(cloudTrailPrefix, commonPrefixes).filter((child) => REGION.test(child));
}

/** …/CloudTrail/REGION/YYYY/MM/DD/ for the UTC day starting at dayStartMs. */
export function dayPrefix(folder: AccountLogFolder, region: string, dayStartMs: number): string {
  const date = new Date(dayStartMs);
  const month = String(date.getUTCMonth() + 1).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, "0");
  return `${folder.prefix}${region}/${date.getUTCFullYear()}/${month}/${day}/`;
}

/**
 * When the files holding events of `range` can have been delivered: key times are DELIVERY times,
 * after the events by up to the delivery slack, and a file may hold records stamped slightly after
 * its name (clock skew). The same bounds as fileMayHoldMatches.
 */
export function deliveryWindow(range: TimeRange, tolerance: DeliveryTolerance): TimeRange {
  return { startMs: range.startMs - tolerance.clockSkewMs, endMs: range.endMs + tolerance.deliverySlackMs };
}

/** Start (ms) of every UTC day that overlaps [startMs, endMs]. */
export function utcDaysOverlapping(range: TimeRange): number[] {
  if (range.endMs < range.startMs) return [];
  const days: number[] = [];
  for (let day = Math.floor(range.startMs / DAY_MS) * DAY_MS; day <= range.endMs; day += DAY_MS) days.push(day);
  return days;
}

/** The folder names one level below `parent`, from CommonPrefixes such as "parent/child/". */
function childFolders(parent: string, commonPrefixes: readonly string[]): string[] {
  return commonPrefixes
    .filter((p) => p.startsWith(parent) && p.endsWith("/"))
    .map((p) => p.slice(parent.length, -1))
    .filter((child) => child !== "" && !child.includes("/"));
}

function accountFolder(parent: string, organizationId: string | null, accountId: string): AccountLogFolder {
  return { organizationId, accountId, prefix: `${parent}${accountId}/CloudTrail/` };
}
