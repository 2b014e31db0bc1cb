import { parseCloudTrailTime } from "../core/cloudtrail-time.js";
import type { Finding, FindingKind, Severity } from "../schema/finding.js";

/**
 * A rolechain finding as an OCSF 1.1.0 Detection Finding (class 2004, category 2 Findings), the
 * shape AWS Security Lake and many SIEMs ingest. Field placement follows the 1.1.0 schema
 * (ocsf/ocsf-schema tag v1.1.0): Detection Finding has no top-level `src_endpoint`, so the caller's
 * IP is in `evidences[0].src_endpoint`; `actor` comes with the class's `host` profile and `cloud`/`api`
 * with the `cloud` profile. Every rolechain field without an OCSF home is kept under `unmapped`.
 * The mapping table is in docs/sweep.md.
 */

export const OCSF_VERSION = "1.1.0";

export interface OcsfProduct {
  /** rolechain's version (package.json). */
  version: string;
}

const SEVERITY_ID: Record<Severity, { id: number; caption: string }> = {
  low: { id: 2, caption: "Low" },
  medium: { id: 3, caption: "Medium" },
  high: { id: 4, caption: "High" },
  critical: { id: 5, caption: "Critical" },
};

/** finding_info.title per kind: short, stable, for a SIEM's alert list. */
export const FINDING_TITLES: Record<FindingKind, string> = {
  "unexpected-cross-account-assume-role": "Role assumed from an AWS account that is not allowed",
  "outbound-cross-account-assume-role": "Principal assumed a role in an AWS account that is not allowed",
  "trust-policy-external-principal": "Role trust policy admits a principal outside the allowed accounts",
  "web-identity-unexpected-subject": "Role assumed by a web identity that is not allowed",
  "trust-policy-unconstrained-web-identity": "Role trust policy admits any subject of a web identity provider",
};

const AWS_ACCOUNT = { type: "AWS Account", type_id: 10 } as const;

export function findingToOcsf(finding: Finding, product: OcsfProduct, fallbackTimeMs: number): Record<string, unknown> {
  const timeMs = parseCloudTrailTime(finding.eventTime) ?? fallbackTimeMs;
  const severity = SEVERITY_ID[finding.severity];
  const user = callerUser(finding);
  const api = { operation: finding.eventName, service: { name: serviceOf(finding.eventName) } };
  const evidence: Record<string, unknown> = { api };
  if (user) evidence.actor = { user };
  if (finding.sourceIPAddress) evidence.src_endpoint = endpointOf(finding.sourceIPAddress);

  const ocsf: Record<string, unknown> = {
    activity_id: 1,
    activity_name: "Create",
    category_uid: 2,
    category_name: "Findings",
    class_uid: 2004,
    class_name: "Detection Finding",
    type_uid: 200401,
    type_name: "Detection Finding: Create",
    severity_id: severity.id,
    severity: severity.caption,
    status_id: 1,
    status: "New",
    time: timeMs,
    message: finding.reason,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "rolechain", vendor_name: "rolechain", version: product.version },
      profiles: ["cloud", "host"],
      uid: finding.id,
      log_provider: "AWS CloudTrail",
      ...(finding.eventTime ? { original_time: finding.eventTime } : {}),
    },
    finding_info: {
      uid: finding.id,
      title: FINDING_TITLES[finding.kind],
      desc: finding.reason,
      types: [finding.kind],
      first_seen_time: timeMs,
      last_seen_time: timeMs,
      analytic: { uid: finding.kind, name: finding.kind, type: "Rule", type_id: 1 },
      related_events: [{ uid: finding.eventID, type: `CloudTrail ${finding.eventName}` }],
    },
    cloud: {
      provider: "AWS",
      ...(finding.awsRegion ? { region: finding.awsRegion } : {}),
      ...(cloudAccount(finding) ? { account: { uid: cloudAccount(finding), ...AWS_ACCOUNT } } : {}),
    },
    api,
    evidences: [evidence],
    unmapped: unmappedOf(finding),
  };
  if (user) ocsf.actor = { user };
  if (finding.roleArn) {
    ocsf.resources = [{
      uid: finding.roleArn,
      name: finding.roleArn.split("/").pop() ?? finding.roleArn,
      type: "AWS::IAM::Role",
      ...(finding.awsRegion ? { region: finding.awsRegion } : {}),
      ...(partitionOf(finding.roleArn) ? { cloud_partition: partitionOf(finding.roleArn) } : {}),
    }];
  }
  return ocsf;
}

/** The account the finding is about: the role's account, else the account the record was delivered to. */
function cloudAccount(finding: Finding): string | null {
  return finding.roleAccountId ?? finding.recipientAccountId;
}

function callerUser(finding: Finding): Record<string, unknown> | null {
  if (!finding.callerArn && !finding.callerAccountId && !finding.callerType) return null;
  const user: Record<string, unknown> = {};
  if (finding.callerArn) {
    user.uid = finding.callerArn;
    user.name = arnResourceName(finding.callerArn);
  }
  if (finding.callerType) {
    user.type = finding.callerType;
    user.type_id = userTypeId(finding.callerType);
  }
  if (finding.callerAccountId) user.account = { uid: finding.callerAccountId, ...AWS_ACCOUNT };
  return user;
}

/** OCSF user.type_id: 1 User, 2 Admin, 3 System, 99 Other (type carries CloudTrail's own name). */
function userTypeId(callerType: string): number {
  if (callerType === "Root") return 2;
  if (callerType === "AWSService") return 3;
  if (["IAMUser", "AssumedRole", "FederatedUser", "SAMLUser", "WebIdentityUser", "IdentityCenterUser"].includes(callerType)) return 1;
  return 99;
}

/** arn:aws:iam::1:user/path/alice → "path/alice"; assumed-role/Role/session → "Role/session"; root → "root". */
function arnResourceName(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  const slash = resource.indexOf("/");
  return slash === -1 ? resource : resource.slice(slash + 1);
}

function partitionOf(arn: string): string | null {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? null;
}

function serviceOf(eventName: string): string {
  return eventName.startsWith("AssumeRole") ? "sts.amazonaws.com" : "iam.amazonaws.com";
}

/** CloudTrail writes a service's name ("AWS Internal", "ec2.amazonaws.com") where a client IP would be. */
function endpointOf(sourceIPAddress: string): Record<string, string> {
  return isIpAddress(sourceIPAddress) ? { ip: sourceIPAddress } : { name: sourceIPAddress };
}

function isIpAddress(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) || (/^[0-9a-f:.]+$/i.test(text) && text.includes(":"));
}

/** Everything of the finding that has no OCSF attribute, under its rolechain name. */
function unmappedOf(finding: Finding): Record<string, unknown> {
  return {
    schema: finding.schema,
    kind: finding.kind,
    eventID: finding.eventID,
    sharedEventID: finding.sharedEventID,
    eventTime: finding.eventTime,
    recipientAccountId: finding.recipientAccountId,
    roleAccountId: finding.roleAccountId,
    userAgent: finding.userAgent,
    principals: finding.principals,
    webIdentity: finding.webIdentity,
    trace: finding.trace,
  };
}
