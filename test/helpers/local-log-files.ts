/**
 * Real-shaped CloudTrail records and log files on disk, for the local file source's tests.
 * Record shapes follow /work/shared/docs/cloudtrail-facts.md §1–§2 (AssumeRole with
 * responseElements.credentials / assumedRoleUser); keys follow §5.1.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

export type RawRecord = Record<string, unknown>;

export async function makeTempDir(prefix = "rolechain-local-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes `content` at dir/relativePath (folders created), gzipped when asked. Returns the full path. */
export async function writeLogFile(
  dir: string, relativePath: string, content: string | Buffer, options: { gzip?: boolean } = {},
): Promise<string> {
  const filePath = path.join(dir, relativePath);
  await mkdir(path.dirname(filePath), { recursive: true });
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  await writeFile(filePath, options.gzip ? gzipSync(bytes) : bytes);
  return filePath;
}

export function trailDocument(records: readonly unknown[]): string {
  return JSON.stringify({ Records: records });
}

export function ndjson(records: readonly unknown[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}

/** What `aws cloudtrail lookup-events` prints: each record as a JSON string in CloudTrailEvent. */
export function lookupEventsOutput(records: readonly RawRecord[], nextToken?: string): string {
  const events = records.map((record) => ({
    EventId: record["eventID"],
    EventName: record["eventName"],
    ReadOnly: String(record["readOnly"] ?? "true"),
    EventTime: record["eventTime"],
    EventSource: record["eventSource"],
    Username: "ci-deployer",
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  }));
  return JSON.stringify(nextToken ? { Events: events, NextToken: nextToken } : { Events: events }, null, 4);
}

/**
 * …/AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
 * for a delivery time like "2026-11-17T10:25:00Z".
 */
export function trailKey(accountId: string, region: string, deliveredAt: string, organizationId?: string): string {
  const [date = "", time = ""] = deliveredAt.split("T");
  const [year, month, day] = date.split("-");
  const stamp = `${date.replaceAll("-", "")}T${time.slice(0, 5).replace(":", "")}Z`;
  const org = organizationId ? `${organizationId}/` : "";
  return `AWSLogs/${org}${accountId}/CloudTrail/${region}/${year}/${month}/${day}/`
    + `${accountId}_CloudTrail_${region}_${stamp}_Ab12Cd34Ef56Gh78.json.gz`;
}

let counter = 0;

/** A UUID-shaped id: eventUuid(n) is fixed; eventUuid() is fresh and never equals an eventUuid(n). */
export function eventUuid(n?: number): string {
  const group = n === undefined ? "9c4d" : "8a7b";
  return `6f1c2a3b-4d5e-4f60-${group}-${(n ?? ++counter).toString(16).padStart(12, "0")}`;
}

export interface AssumeRoleSpec {
  eventID?: string;
  eventTime?: string;
  /** Caller = role owner unless given. */
  accountId?: string;
  roleName?: string;
  sessionName?: string;
  accessKeyId?: string;
  region?: string;
}

/** A same-account AssumeRole by an IAM user, as CloudTrail logs it. */
export function assumeRoleRecord(spec: AssumeRoleSpec = {}): RawRecord {
  const accountId = spec.accountId ?? "111111111111";
  const roleName = spec.roleName ?? "ci-deployer";
  const sessionName = spec.sessionName ?? "build-4711";
  const eventTime = spec.eventTime ?? "2026-11-17T10:20:05Z";
  const region = spec.region ?? "us-east-1";
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLEUSER00001",
      arn: `arn:aws:iam::${accountId}:user/alice`,
      accountId,
      accessKeyId: "AKIAEXAMPLEALICE0001",
      userName: "alice",
    },
    eventTime,
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    awsRegion: region,
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.5 botocore/2.4.5",
    requestParameters: {
      roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      roleSessionName: sessionName,
      durationSeconds: 3600,
    },
    responseElements: {
      credentials: {
        accessKeyId: spec.accessKeyId ?? "ASIAEXAMPLESESSION01",
        sessionToken: "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
        expiration: "Nov 17, 2026, 11:20:05 AM",
      },
      assumedRoleUser: {
        assumedRoleId: `AROAEXAMPLEROLE00001:${sessionName}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
    },
    requestID: "0e4f3c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
    eventID: spec.eventID ?? eventUuid(),
    readOnly: true,
    resources: [{ accountId, type: "AWS::IAM::Role", ARN: `arn:aws:iam::${accountId}:role/${roleName}` }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: "Management",
  };
}

/** An API call made with the assumed role's session credentials. */
export function sessionApiCallRecord(spec: AssumeRoleSpec & { eventName?: string } = {}): RawRecord {
  const accountId = spec.accountId ?? "111111111111";
  const roleName = spec.roleName ?? "ci-deployer";
  const sessionName = spec.sessionName ?? "build-4711";
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROAEXAMPLEROLE00001:${sessionName}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      accountId,
      accessKeyId: spec.accessKeyId ?? "ASIAEXAMPLESESSION01",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAEXAMPLEROLE00001",
          arn: `arn:aws:iam::${accountId}:role/${roleName}`,
          accountId,
          userName: roleName,
        },
        webIdFederationData: {},
        attributes: { creationDate: "2026-11-17T10:20:05Z", mfaAuthenticated: "false" },
      },
    },
    eventTime: spec.eventTime ?? "2026-11-17T10:22:05Z",
    eventSource: "s3.amazonaws.com",
    eventName: spec.eventName ?? "PutBucketPolicy",
    awsRegion: spec.region ?? "us-east-1",
    sourceIPAddress: "203.0.113.50",
    userAgent: "[aws-cli/2.15.0]",
    requestParameters: { bucketName: "prod-artifacts", policy: "{\"Version\":\"2012-10-17\"}" },
    responseElements: null,
    requestID: "7a8b9c0d1e2f3a4b",
    eventID: spec.eventID ?? eventUuid(),
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: "Management",
  };
}
