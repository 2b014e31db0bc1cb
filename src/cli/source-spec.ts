import type { AthenaTableSpec } from "../sources/athena/athena-table-spec.js";
import { parseAthenaUri } from "../sources/athena/parse-athena-uri.js";
import { parseLakeUri, type LakeUri } from "../sources/lake/lake-uri.js";
import { parseS3Uri } from "../sources/s3/trail-key-layout.js";

/**
 * What one --source value names, checked whole before anything is opened. `s3://BUCKET[/PREFIX]`
 * is a trail bucket; `cloudtrail` or `cloudtrail:REGION[,REGION…]` the LookupEvents API;
 * `athena://…` an Athena table and `lake://…` a CloudTrail Lake event data store; anything else a
 * local file or folder (a local folder that happens to be called "cloudtrail" is written ./cloudtrail).
 */
export type SourceSpec =
  | { kind: "local"; path: string }
  | { kind: "s3"; uri: string; bucket: string; prefix: string }
  | { kind: "cloudtrail"; regions: string[] | null }
  | { kind: "athena"; uri: string; table: AthenaTableSpec }
  | { kind: "lake"; uri: string; store: LakeUri };

/** Sources that find records by time and never scan everything: a trace needs --at with them. */
export function needsTimeHint(spec: SourceSpec): boolean {
  return spec.kind === "s3" || spec.kind === "athena" || spec.kind === "lake";
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export class SourceSpecError extends Error {
  override readonly name = "SourceSpecError";
}

export function parseSourceSpec(value: string): SourceSpec {
  if (value.toLowerCase().startsWith("s3://")) return parseS3Spec(value);
  if (value.startsWith("athena://")) return { kind: "athena", uri: value, table: withSpecError(value, parseAthenaUri) };
  if (value.startsWith("lake://")) return { kind: "lake", uri: value, store: withSpecError(value, parseLakeUri) };
  if (value === "cloudtrail") return { kind: "cloudtrail", regions: null };
  if (value.startsWith("cloudtrail:")) return parseCloudTrailSpec(value);
  if (value === "") throw new SourceSpecError("--source: an empty value names nothing");
  return { kind: "local", path: value };
}

function parseS3Spec(value: string): SourceSpec {
  // The prefix is whatever precedes AWSLogs/ (a trail's optional "S3 key prefix"), kept with one trailing slash.
  const location = parseS3Uri(value);
  if (!location) {
    const bucket = value.slice("s3://".length).split("/")[0];
    throw new SourceSpecError(`--source ${value}: "${bucket}" is not an S3 bucket name (s3://BUCKET[/PREFIX])`);
  }
  return { kind: "s3", uri: `s3://${location.bucket}/${location.prefix}`, ...location };
}

/** The Athena and Lake parsers throw one-line Errors; here they become --source errors. */
function withSpecError<T>(value: string, parse: (uri: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    throw new SourceSpecError(`--source ${value}: ${(error as Error).message}`);
  }
}

function parseCloudTrailSpec(value: string): SourceSpec {
  const regions = value.slice("cloudtrail:".length).split(",").map((r) => r.trim()).filter((r) => r !== "");
  if (regions.length === 0) throw new SourceSpecError(`--source ${value}: name at least one region (cloudtrail:us-east-1,eu-west-1) or write just "cloudtrail"`);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined) throw new SourceSpecError(`--source ${value}: "${bad}" is not an AWS region name such as eu-west-1`);
  return { kind: "cloudtrail", regions: [...new Set(regions)] };
}
