/**
 * What one --source value names. `s3://BUCKET[/PREFIX]` is a trail bucket; `cloudtrail` or
 * `cloudtrail:REGION[,REGION…]` the LookupEvents API; `athena://…` an Athena table and `lake://…`
 * a CloudTrail Lake event data store (their own parsers check the rest); anything else a local file
 * or folder (a local folder that happens to be called "cloudtrail" is written ./cloudtrail).
 */
export type SourceSpec =
  | { kind: "local"; path: string }
  | { kind: "s3"; uri: string; bucket: string; prefix: string }
  | { kind: "cloudtrail"; regions: string[] | null }
  | { kind: "athena"; uri: string }
  | { kind: "lake"; uri: string };

/** Sources that find records by time and never scan everything: a trace needs --at with them. */
export function needsTimeHint(spec: SourceSpec): boolean {
  return spec.kind === "s3" || spec.kind === "athena" || spec.kind === "lake";
}

// S3 bucket naming rules (general purpose buckets): 3–63 of [a-z0-9.-], starting and ending alphanumeric.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export class SourceSpecError extends Error {
  override readonly name = "SourceSpecError";
}

export function parseSourceSpec(value: string): SourceSpec {
  if (value.toLowerCase().startsWith("s3://")) return parseS3Spec(value);
  if (value.startsWith("athena://")) return { kind: "athena", uri: value };
  if (value.startsWith("lake://")) return { kind: "lake", uri: value };
  if (value === "cloudtrail") return { kind: "cloudtrail", regions: null };
  if (value.startsWith("cloudtrail:")) return parseCloudTrailSpec(value);
  if (value === "") throw new SourceSpecError("--source: an empty value names nothing");
  return { kind: "local", path: value };
}

function parseS3Spec(value: string): SourceSpec {
  const rest = value.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) {
    throw new SourceSpecError(`--source ${value}: "${bucket}" is not an S3 bucket name (s3://BUCKET[/PREFIX])`);
  }
  // The prefix is whatever precedes AWSLogs/ (a trail's optional "S3 key prefix"), kept with one trailing slash.
  const rawPrefix = slash === -1 ? "" : rest.slice(slash + 1);
  const trimmed = rawPrefix.replace(/^\/+|\/+$/g, "");
  const prefix = trimmed === "" ? "" : `${trimmed}/`;
  return { kind: "s3", uri: `s3://${bucket}/${prefix}`, bucket, prefix };
}

function parseCloudTrailSpec(value: string): SourceSpec {
  const regions = value.slice("cloudtrail:".length).split(",").map((r) => r.trim()).filter((r) => r !== "");
  if (regions.length === 0) throw new SourceSpecError(`--source ${value}: name at least one region (cloudtrail:us-east-1,eu-west-1) or write just "cloudtrail"`);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined) throw new SourceSpecError(`--source ${value}: "${bad}" is not an AWS region name such as eu-west-1`);
  return { kind: "cloudtrail", regions: [...new Set(regions)] };
}
