import type { GenContext } from "./gen-context.js";
import type { JsonObject } from "./identities.js";
import { stableHex } from "./ids.js";
import type { OrgModel } from "./org-model.js";
import type { ResourceRef } from "./record-builders.js";
import { expirationText, isoSeconds } from "./time-format.js";

/** Where a call lands: the account and region whose log receives it (global services move it to us-east-1). */
export interface CallTarget {
  accountId: string;
  region: string;
  time: number;
  /** The EC2 instance or Lambda function making the call, when it is one. */
  instanceId?: string;
  functionName?: string;
}

/** One API call minus who made it: what the request and response looked like. */
export interface ApiCallParts {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  region: string;
  accountId: string;
  host: string;
  eventVersion: string;
  requestParameters: unknown;
  responseElements: unknown;
  resources?: ResourceRef[];
  additionalEventData?: unknown;
  category?: "Data";
  requestID?: string;
  /** IAM action and resource, for the AccessDenied message of a denied call. */
  action: string;
  resourceArn: string;
  deniedStyle: "standard" | "ec2" | "s3";
}

type CallBuilder = (ctx: GenContext, target: CallTarget) => ApiCallParts;

const SECRETS: Record<string, string[]> = {
  "222222222222": ["prod/orders/db-password", "prod/payments/stripe-api-key", "prod/api/jwt-signing-key", "prod/reporting/warehouse"],
  "444444444444": ["dev/orders/db-password", "dev/ci/npm-token", "dev/api/jwt-signing-key"],
  "333333333333": ["security/siem/splunk-hec-token", "security/pagerduty/routing-key"],
  "111111111111": ["identity/okta/scim-token", "identity/ldap/bind-password"],
  "101010101010": ["org/billing/cur-reader"],
};

const PARAMETERS: Record<string, string[]> = {
  "222222222222": ["/prod/orders/db-host", "/prod/orders/db-password", "/prod/feature-flags", "/prod/api/base-url"],
  "444444444444": ["/dev/orders/db-host", "/dev/orders/db-password", "/dev/integration/api-key", "/dev/feature-flags"],
  "333333333333": ["/security/scanner/config", "/security/guardduty/forwarding-target"],
  "111111111111": ["/identity/okta/org-url"],
  "101010101010": ["/org/accounts/registry"],
};

const TABLES = ["orders", "order-events", "sessions", "feature-flags", "image-metadata"];
const STACKS = ["payments-api", "orders-service", "web-frontend", "network-baseline", "data-pipeline", "observability"];
const FUNCTIONS = ["orders-processor", "image-resizer", "security-scanner", "guardduty-forwarder", "nightly-report", "webhook-handler"];
const ECR_REPOS = ["payments-api", "orders-service", "web-frontend", "ci-base-image"];
const LOG_GROUPS = ["/aws/lambda/orders-processor", "/aws/lambda/image-resizer", "/ecs/payments-api", "/app/orders-service", "/aws/lambda/security-scanner"];
const DB_INSTANCES = ["orders-db", "payments-db", "reporting-replica"];
const INSTANCE_TYPES = ["t3.medium", "m6i.large", "c6i.xlarge", "t3.small"];
const AMI_IDS = ["ami-0c7217cdde317cfec", "ami-0fc5d935ebf8bc3bc", "ami-0a0c8eebcdd6dcbd0"];
const S3_PREFIXES = ["orders", "exports", "uploads", "reports", "builds", "media/thumbnails", "logs/app", "tmp"];

function pick<T>(ctx: GenContext, items: readonly T[]): T {
  return ctx.rng.pick(items);
}

export function kmsKeyId(accountId: string, region: string, purpose = "default"): string {
  const h = stableHex(`kms:${accountId}:${region}:${purpose}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function kmsKeyArn(accountId: string, region: string, purpose = "default"): string {
  return `arn:aws:kms:${region}:${accountId}:key/${kmsKeyId(accountId, region, purpose)}`;
}

export function bucketFor(org: OrgModel, accountId: string, region: string, rng: GenContext["rng"]): { name: string; region: string } {
  const own = org.buckets.filter((b) => b.accountId === accountId);
  const local = own.filter((b) => b.region === region);
  const chosen = local.length > 0 ? rng.pick(local) : own.length > 0 ? rng.pick(own) : { name: `example-${accountId}-misc`, region };
  return { name: chosen.name, region: chosen.region };
}

function secretArn(ctx: GenContext, accountId: string, region: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${stableHex(`secret:${accountId}:${name}`, 6)}`;
}

function instanceIdFor(ctx: GenContext, t: CallTarget): string {
  if (t.instanceId) return t.instanceId;
  const local = ctx.org.instances.filter((i) => i.accountId === t.accountId && i.region === t.region);
  return local.length > 0 ? pick(ctx, local).id : `i-0${stableHex(`${t.accountId}:${t.region}:adhoc:${ctx.rng.int(6)}`, 16)}`;
}

/** A management-event call of `service` in the target's region; scenarios use it for their specific subjects. */
export function serviceCall(
  t: CallTarget, service: string, eventName: string, readOnly: boolean, requestParameters: unknown,
  extra: Partial<ApiCallParts> = {},
): ApiCallParts {
  const action = `${service}:${eventName.replace(/20\d{6}(v\d)?$/, "")}`;
  return {
    eventSource: `${service}.amazonaws.com`, eventName, readOnly, region: t.region, accountId: t.accountId,
    host: `${service}.${t.region}.amazonaws.com`, eventVersion: "1.08", requestParameters, responseElements: null,
    action, resourceArn: "*", deniedStyle: "standard", ...extra,
  };
}

/** IAM, Organizations and the S3 ListBuckets endpoint are global: logged in us-east-1. */
export function globalServiceCall(t: CallTarget, service: string, eventName: string, readOnly: boolean, requestParameters: unknown, extra: Partial<ApiCallParts> = {}): ApiCallParts {
  return serviceCall({ ...t, region: "us-east-1" }, service, eventName, readOnly, requestParameters, { host: `${service}.amazonaws.com`, ...extra });
}

export function ec2Call(t: CallTarget, eventName: string, readOnly: boolean, requestParameters: unknown, extra: Partial<ApiCallParts> = {}): ApiCallParts {
  return serviceCall(t, "ec2", eventName, readOnly, requestParameters, { eventVersion: "1.10", deniedStyle: "ec2", ...extra });
}

/** An S3 object-level (data) event; bucket and key are drawn unless given. */
export function s3ObjectCall(
  ctx: GenContext, t: CallTarget, eventName: string, readOnly: boolean, bytesOut: number, bytesIn: number,
  fixed?: { bucket: { name: string; region: string }; key: string },
): ApiCallParts {
  const bucket = fixed?.bucket ?? bucketFor(ctx.org, t.accountId, t.region, ctx.rng);
  const key = fixed?.key ?? `${pick(ctx, S3_PREFIXES)}/2026/${String(ctx.rng.between(10, 12)).padStart(2, "0")}/${ctx.ids.hex(8)}.${pick(ctx, ["json", "csv.gz", "parquet", "png", "tar.gz"])}`;
  const host = `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
  return {
    eventSource: "s3.amazonaws.com", eventName, readOnly, region: bucket.region, accountId: t.accountId, host,
    eventVersion: "1.10", category: "Data", requestID: ctx.ids.s3RequestId(),
    requestParameters: eventName === "ListObjects"
      ? { "list-type": "2", bucketName: bucket.name, prefix: `${pick(ctx, S3_PREFIXES)}/`, Host: host, "max-keys": "1000" }
      : { bucketName: bucket.name, Host: host, key },
    responseElements: eventName === "PutObject" ? { "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": kmsKeyArn(t.accountId, bucket.region, "s3") } : null,
    additionalEventData: {
      SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: bytesIn,
      AuthenticationMethod: "AuthHeader", "x-amz-id-2": ctx.ids.amzId2(), bytesTransferredOut: bytesOut,
    },
    resources: eventName === "ListObjects"
      ? [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket.name}/` }, { accountId: t.accountId, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket.name}` }]
      : [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket.name}/${key}` }, { accountId: t.accountId, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket.name}` }],
    action: `s3:${eventName === "ListObjects" ? "ListBucket" : eventName}`, resourceArn: `arn:aws:s3:::${bucket.name}/${key}`, deniedStyle: "s3",
  };
}

/** A bucket-level S3 management call; the bucket is drawn unless given. */
export function s3BucketCall(
  ctx: GenContext, t: CallTarget, eventName: string, readOnly: boolean, query: string, extra: Partial<ApiCallParts> = {},
  fixedBucket?: { name: string; region: string },
): ApiCallParts {
  const bucket = fixedBucket ?? bucketFor(ctx.org, t.accountId, t.region, ctx.rng);
  const host = `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
  return serviceCall({ ...t, region: bucket.region }, "s3", eventName, readOnly, { bucketName: bucket.name, Host: host, [query]: "" }, {
    host, eventVersion: "1.10", requestID: ctx.ids.s3RequestId(),
    additionalEventData: { SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 0, AuthenticationMethod: "AuthHeader", "x-amz-id-2": ctx.ids.amzId2(), bytesTransferredOut: 0 },
    resources: [{ accountId: t.accountId, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket.name}` }],
    resourceArn: `arn:aws:s3:::${bucket.name}`, action: `s3:${eventName}`, ...extra,
  });
}

function kms(ctx: GenContext, t: CallTarget, eventName: string, requestParameters: JsonObject): ApiCallParts {
  const arn = kmsKeyArn(t.accountId, t.region, pick(ctx, ["default", "s3", "secrets"]));
  return serviceCall(t, "kms", eventName, eventName !== "ScheduleKeyDeletion", requestParameters, {
    resources: [{ accountId: t.accountId, type: "AWS::KMS::Key", ARN: arn }], resourceArn: arn,
  });
}

function roleNameIn(ctx: GenContext, accountId: string): string {
  return pick(ctx, ctx.org.roles.filter((r) => r.accountId === accountId)).name;
}

function userNameIn(ctx: GenContext, accountId: string): string {
  const users = ctx.org.users.filter((u) => u.accountId === accountId);
  return users.length > 0 ? pick(ctx, users).name : "svc-reporting";
}

const API_CALLS = {
  "ec2:DescribeInstances": (ctx, t) => ec2Call(t, "DescribeInstances", true, ctx.rng.chance(0.5)
    ? { instancesSet: { items: [{ instanceId: instanceIdFor(ctx, t) }] }, filterSet: {} }
    : { instancesSet: {}, filterSet: { items: [{ name: "instance-state-name", valueSet: { items: [{ value: "running" }] } }] } }),
  "ec2:DescribeSecurityGroups": (_ctx, t) => ec2Call(t, "DescribeSecurityGroups", true, { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
  "ec2:DescribeVpcs": (_ctx, t) => ec2Call(t, "DescribeVpcs", true, { vpcSet: {}, filterSet: {} }),
  "ec2:DescribeSubnets": (_ctx, t) => ec2Call(t, "DescribeSubnets", true, { subnetSet: {}, filterSet: {} }),
  "ec2:DescribeVolumes": (_ctx, t) => ec2Call(t, "DescribeVolumes", true, { volumeSet: {}, filterSet: {} }),
  "ec2:DescribeRegions": (_ctx, t) => ec2Call(t, "DescribeRegions", true, { regionSet: {}, allRegions: false }),
  "ec2:DescribeTags": (ctx, t) => ec2Call(t, "DescribeTags", true, { filterSet: { items: [{ name: "resource-id", valueSet: { items: [{ value: instanceIdFor(ctx, t) }] } }] } }),
  "ec2:DescribeNetworkInterfaces": (_ctx, t) => ec2Call(t, "DescribeNetworkInterfaces", true, { networkInterfaceIdSet: {}, filterSet: {} }),
  "ec2:CreateTags": (ctx, t) => ec2Call(t, "CreateTags", false, {
    resourcesSet: { items: [{ resourceId: instanceIdFor(ctx, t) }] },
    tagSet: { items: [{ key: pick(ctx, ["owner", "cost-center", "patch-group", "backup"]), value: pick(ctx, ["platform", "payments", "weekly", "true"]) }] },
  }, { responseElements: { requestId: ctx.ids.uuid(), _return: true } }),
  "ec2:RunInstances": (ctx, t) => {
    const instanceId = ctx.ids.instanceId();
    const type = pick(ctx, INSTANCE_TYPES);
    const arn = `arn:aws:ec2:${t.region}:${t.accountId}:instance/*`;
    return ec2Call(t, "RunInstances", false, {
      instancesSet: { items: [{ imageId: pick(ctx, AMI_IDS), minCount: 1, maxCount: 1 }] }, instanceType: type,
      blockDeviceMapping: {}, monitoring: { enabled: false }, disableApiTermination: false, disableApiStop: false,
      clientToken: ctx.ids.uuid(), tagSpecificationSet: { items: [{ resourceType: "instance", tags: [{ key: "Name", value: "ci-ephemeral" }] }] },
    }, {
      responseElements: {
        requestId: ctx.ids.uuid(), reservationId: `r-0${ctx.ids.hex(16)}`, ownerId: t.accountId, groupSet: {},
        instancesSet: { items: [{ instanceId, imageId: pick(ctx, AMI_IDS), currentInstanceBootMode: "legacy-bios", instanceState: { code: 0, name: "pending" },
          privateDnsName: `ip-10-60-${ctx.rng.int(255)}-${ctx.rng.int(255)}.ec2.internal`, amiLaunchIndex: 0, productCodes: {}, instanceType: type,
          launchTime: Date.parse(isoSeconds(t.time)), placement: { availabilityZone: `${t.region}a`, tenancy: "default" }, monitoring: { state: "disabled" },
          subnetId: `subnet-0${ctx.ids.hex(16)}`, vpcId: `vpc-0${ctx.ids.hex(16)}`, privateIpAddress: `10.60.${ctx.rng.int(255)}.${ctx.rng.int(255)}`,
          stateReason: { code: "pending", message: "pending" }, architecture: "x86_64", rootDeviceType: "ebs", rootDeviceName: "/dev/xvda",
          blockDeviceMapping: {}, virtualizationType: "hvm", hypervisor: "xen", clientToken: ctx.ids.uuid(), groupSet: { items: [{ groupId: `sg-0${ctx.ids.hex(16)}`, groupName: "default" }] },
          sourceDestCheck: true, networkInterfaceSet: { items: [{ networkInterfaceId: `eni-0${ctx.ids.hex(16)}`, status: "in-use", privateIpAddress: `10.60.${ctx.rng.int(255)}.${ctx.rng.int(255)}` }] },
          ebsOptimized: false, enaSupport: true, metadataOptions: { state: "pending", httpTokens: "optional", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" } }] },
      },
      resourceArn: arn,
    });
  },
  "ec2:GetPasswordData": (ctx, t) => ec2Call(t, "GetPasswordData", true, { instanceId: instanceIdFor(ctx, t) }),
  "ec2:CreateKeyPair": (ctx, t) => {
    const keyName = pick(ctx, ["maint", "backup-access", "support", "tmp-key"]);
    return ec2Call(t, "CreateKeyPair", false, { keyName, keyType: "rsa", keyFormat: "pem" }, {
      responseElements: { requestId: ctx.ids.uuid(), keyName, keyFingerprint: ctx.ids.hex(40).replace(/(..)(?!$)/g, "$1:"), keyPairId: `key-0${ctx.ids.hex(16)}`, keyMaterial: "<sensitiveDataRemoved>" },
    });
  },
  "s3:GetObject": (ctx, t) => s3ObjectCall(ctx, t, "GetObject", true, ctx.rng.between(200, 4_000_000), 0),
  "s3:PutObject": (ctx, t) => s3ObjectCall(ctx, t, "PutObject", false, 0, ctx.rng.between(200, 2_000_000)),
  "s3:HeadObject": (ctx, t) => s3ObjectCall(ctx, t, "HeadObject", true, 0, 0),
  "s3:ListObjects": (ctx, t) => s3ObjectCall(ctx, t, "ListObjects", true, ctx.rng.between(300, 60_000), 0),
  "s3:ListBuckets": (ctx, t) => globalServiceCall(t, "s3", "ListBuckets", true, { Host: "s3.amazonaws.com" }, { host: "s3.amazonaws.com", eventVersion: "1.10", requestID: ctx.ids.s3RequestId() }),
  "s3:GetBucketPolicy": (ctx, t) => s3BucketCall(ctx, t, "GetBucketPolicy", true, "policy"),
  "s3:GetBucketAcl": (ctx, t) => s3BucketCall(ctx, t, "GetBucketAcl", true, "acl"),
  "s3:GetBucketLocation": (ctx, t) => s3BucketCall(ctx, t, "GetBucketLocation", true, "location"),
  "s3:GetBucketEncryption": (ctx, t) => s3BucketCall(ctx, t, "GetBucketEncryption", true, "encryption"),
  "iam:GetUser": (ctx, t) => globalServiceCall(t, "iam", "GetUser", true, { userName: userNameIn(ctx, t.accountId) }),
  "iam:ListUsers": (_ctx, t) => globalServiceCall(t, "iam", "ListUsers", true, null),
  "iam:ListRoles": (ctx, t) => globalServiceCall(t, "iam", "ListRoles", true, ctx.rng.chance(0.5) ? null : { maxItems: 100 }),
  "iam:GetRole": (ctx, t) => globalServiceCall(t, "iam", "GetRole", true, { roleName: roleNameIn(ctx, t.accountId) }),
  "iam:ListAttachedRolePolicies": (ctx, t) => globalServiceCall(t, "iam", "ListAttachedRolePolicies", true, { roleName: roleNameIn(ctx, t.accountId) }),
  "iam:ListRolePolicies": (ctx, t) => globalServiceCall(t, "iam", "ListRolePolicies", true, { roleName: roleNameIn(ctx, t.accountId) }),
  "iam:GetPolicyVersion": (ctx, t) => globalServiceCall(t, "iam", "GetPolicyVersion", true, { policyArn: `arn:aws:iam::aws:policy/${pick(ctx, ["ReadOnlyAccess", "AdministratorAccess", "SecurityAudit", "AmazonS3ReadOnlyAccess"])}`, versionId: `v${ctx.rng.between(1, 150)}` }),
  "iam:ListAccessKeys": (ctx, t) => globalServiceCall(t, "iam", "ListAccessKeys", true, { userName: userNameIn(ctx, t.accountId) }),
  "iam:ListMFADevices": (ctx, t) => globalServiceCall(t, "iam", "ListMFADevices", true, { userName: userNameIn(ctx, t.accountId) }),
  "iam:GenerateCredentialReport": (_ctx, t) => globalServiceCall(t, "iam", "GenerateCredentialReport", false, null),
  "iam:GetAccountSummary": (_ctx, t) => globalServiceCall(t, "iam", "GetAccountSummary", true, null),
  "iam:TagRole": (ctx, t) => globalServiceCall(t, "iam", "TagRole", false, { roleName: roleNameIn(ctx, t.accountId), tags: [{ key: "last-reviewed", value: "2026-11" }] }),
  "sts:GetCallerIdentity": (_ctx, t) => serviceCall(t, "sts", "GetCallerIdentity", true, null),
  "kms:Decrypt": (ctx, t) => kms(ctx, t, "Decrypt", { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { "aws:s3:arn": `arn:aws:s3:::${bucketFor(ctx.org, t.accountId, t.region, ctx.rng).name}/${pick(ctx, S3_PREFIXES)}/${ctx.ids.hex(8)}.json` } }),
  "kms:GenerateDataKey": (ctx, t) => kms(ctx, t, "GenerateDataKey", { keyId: kmsKeyArn(t.accountId, t.region, "s3"), encryptionContext: { "aws:s3:arn": `arn:aws:s3:::${bucketFor(ctx.org, t.accountId, t.region, ctx.rng).name}` }, keySpec: "AES_256" }),
  "kms:DescribeKey": (ctx, t) => kms(ctx, t, "DescribeKey", { keyId: `alias/${pick(ctx, ["app-data", "aws/s3", "secrets", "ebs-default"])}` }),
  "secretsmanager:GetSecretValue": (ctx, t) => {
    const name = pick(ctx, SECRETS[t.accountId] ?? ["app/config"]);
    const arn = secretArn(ctx, t.accountId, t.region, name);
    return serviceCall(t, "secretsmanager", "GetSecretValue", true, { secretId: ctx.rng.chance(0.5) ? name : arn }, { resourceArn: arn });
  },
  "secretsmanager:DescribeSecret": (ctx, t) => serviceCall(t, "secretsmanager", "DescribeSecret", true, { secretId: pick(ctx, SECRETS[t.accountId] ?? ["app/config"]) }),
  "secretsmanager:ListSecrets": (_ctx, t) => serviceCall(t, "secretsmanager", "ListSecrets", true, { maxResults: 100 }),
  "ssm:GetParameter": (ctx, t) => serviceCall(t, "ssm", "GetParameter", true, { name: pick(ctx, PARAMETERS[t.accountId] ?? ["/app/config"]), withDecryption: true }),
  "ssm:GetParameters": (ctx, t) => serviceCall(t, "ssm", "GetParameters", true, { names: ctx.rng.shuffle([...(PARAMETERS[t.accountId] ?? ["/app/config"])]).slice(0, 2), withDecryption: true }),
  "ssm:GetParametersByPath": (ctx, t) => serviceCall(t, "ssm", "GetParametersByPath", true, { path: `/${pick(ctx, ["prod", "dev", "security", "identity"])}/`, recursive: true, withDecryption: true }),
  "ssm:UpdateInstanceInformation": (ctx, t) => {
    const instanceId = instanceIdFor(ctx, t);
    return serviceCall(t, "ssm", "UpdateInstanceInformation", false, {
      instanceId, agentVersion: "3.3.1142.0", agentStatus: "Active", platformType: "Linux", platformName: "Amazon Linux",
      platformVersion: "2023", iPAddress: `10.${ctx.rng.between(20, 61)}.${ctx.rng.int(255)}.${ctx.rng.int(255)}`,
      computerName: `ip-10-20-${ctx.rng.int(255)}-${ctx.rng.int(255)}.ec2.internal`, agentName: "amazon-ssm-agent",
      availabilityZone: `${t.region}${pick(ctx, ["a", "b", "c"])}`, availabilityZoneId: `use1-az${ctx.rng.between(1, 6)}`, ssmConnectionChannel: "ssmmessages",
    });
  },
  "ssm:ListInstanceAssociations": (ctx, t) => serviceCall(t, "ssm", "ListInstanceAssociations", true, { instanceId: instanceIdFor(ctx, t), maxResults: 20 }),
  "lambda:ListFunctions20150331": (_ctx, t) => serviceCall(t, "lambda", "ListFunctions20150331", true, { functionVersion: "ALL" }),
  "lambda:GetFunction20150331v2": (ctx, t) => serviceCall(t, "lambda", "GetFunction20150331v2", true, { functionName: pick(ctx, FUNCTIONS) }),
  "lambda:UpdateFunctionCode20150331v2": (ctx, t) => {
    const functionName = t.functionName ?? pick(ctx, FUNCTIONS);
    const functionArn = `arn:aws:lambda:${t.region}:${t.accountId}:function:${functionName}`;
    return serviceCall(t, "lambda", "UpdateFunctionCode20150331v2", false, { functionName, publish: false, dryRun: false }, {
      responseElements: {
        functionName, functionArn, runtime: "nodejs20.x", role: `arn:aws:iam::${t.accountId}:role/service-role/${functionName}`,
        handler: "index.handler", codeSize: ctx.rng.between(4000, 9_000_000), description: "", timeout: 30, memorySize: 512,
        lastModified: `${isoSeconds(t.time).slice(0, 19)}.000+0000`, codeSha256: ctx.ids.blob(43) + "=", version: "$LATEST",
        tracingConfig: { mode: "PassThrough" }, revisionId: ctx.ids.uuid(), state: "Active", lastUpdateStatus: "InProgress",
        lastUpdateStatusReason: "The function is being created.", lastUpdateStatusReasonCode: "Creating", packageType: "Zip",
        architectures: ["arm64"], ephemeralStorage: { size: 512 }, snapStart: { applyOn: "None", optimizationStatus: "Off" },
        runtimeVersionConfig: { runtimeVersionArn: `arn:aws:lambda:${t.region}::runtime:${ctx.ids.hex(64)}` },
        loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${functionName}` },
      },
      resourceArn: functionArn,
    });
  },
  "cloudformation:DescribeStacks": (ctx, t) => serviceCall(t, "cloudformation", "DescribeStacks", true, { stackName: pick(ctx, STACKS) }),
  "cloudformation:DescribeStackEvents": (ctx, t) => serviceCall(t, "cloudformation", "DescribeStackEvents", true, { stackName: pick(ctx, STACKS) }),
  "cloudformation:CreateChangeSet": (ctx, t) => {
    const stackName = pick(ctx, STACKS);
    const stackId = `arn:aws:cloudformation:${t.region}:${t.accountId}:stack/${stackName}/${ctx.ids.uuid()}`;
    const changeSetName = `deploy-${ctx.ids.hex(12)}`;
    return serviceCall(t, "cloudformation", "CreateChangeSet", false, {
      stackName, templateURL: `https://${bucketFor(ctx.org, t.accountId, t.region, ctx.rng).name}.s3.amazonaws.com/cfn/${ctx.ids.hex(32)}.template`,
      capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"], changeSetName, changeSetType: "UPDATE",
      parameters: [{ parameterKey: "ImageTag", parameterValue: ctx.ids.hex(40) }, { parameterKey: "Environment", usePreviousValue: true }],
    }, { responseElements: { id: `arn:aws:cloudformation:${t.region}:${t.accountId}:changeSet/${changeSetName}/${ctx.ids.uuid()}`, stackId } });
  },
  "cloudformation:ExecuteChangeSet": (ctx, t) => serviceCall(t, "cloudformation", "ExecuteChangeSet", false, { changeSetName: `deploy-${ctx.ids.hex(12)}`, stackName: pick(ctx, STACKS) }),
  "ecr:GetAuthorizationToken": (_ctx, t) => serviceCall(t, "ecr", "GetAuthorizationToken", true, null, { host: `api.ecr.${t.region}.amazonaws.com` }),
  "ecr:BatchGetImage": (ctx, t) => serviceCall(t, "ecr", "BatchGetImage", true, {
    repositoryName: pick(ctx, ECR_REPOS), registryId: t.accountId, imageIds: [{ imageTag: ctx.rng.chance(0.5) ? "latest" : ctx.ids.hex(12) }],
    acceptedMediaTypes: ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"],
  }, { host: `api.ecr.${t.region}.amazonaws.com` }),
  "ecr:PutImage": (ctx, t) => serviceCall(t, "ecr", "PutImage", false, { repositoryName: pick(ctx, ECR_REPOS), registryId: t.accountId, imageTag: ctx.ids.hex(12), imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json", imageManifest: `{"schemaVersion":2,"config":{"digest":"sha256:${ctx.ids.hex(64)}"}}` }, { host: `api.ecr.${t.region}.amazonaws.com` }),
  "monitoring:GetMetricData": (ctx, t) => serviceCall(t, "monitoring", "GetMetricData", true, {
    metricDataQueries: Array.from({ length: ctx.rng.between(2, 6) }, (_, i) => ({
      id: `m${i}`, metricStat: { metric: { namespace: pick(ctx, ["AWS/EC2", "AWS/Lambda", "AWS/RDS", "AWS/ApplicationELB"]), metricName: pick(ctx, ["CPUUtilization", "Invocations", "Errors", "Duration", "RequestCount"]), dimensions: [{ name: "InstanceId", value: instanceIdFor(ctx, t) }] }, period: 300, stat: "Average" }, returnData: true,
    })),
    startTime: expirationText(t.time - 900_000), endTime: expirationText(t.time),
  }, { eventSource: "monitoring.amazonaws.com", host: `monitoring.${t.region}.amazonaws.com`, action: "cloudwatch:GetMetricData" }),
  "monitoring:DescribeAlarms": (_ctx, t) => serviceCall(t, "monitoring", "DescribeAlarms", true, { maxRecords: 100 }, { action: "cloudwatch:DescribeAlarms" }),
  "tagging:GetResources": (ctx, t) => serviceCall(t, "tagging", "GetResources", true, { resourceTypeFilters: [pick(ctx, ["ec2:instance", "rds:db", "lambda:function", "elasticloadbalancing:loadbalancer"])], resourcesPerPage: 100 }),
  "elasticloadbalancing:DescribeTargetHealth": (ctx, t) => serviceCall(t, "elasticloadbalancing", "DescribeTargetHealth", true, { targetGroupArn: `arn:aws:elasticloadbalancing:${t.region}:${t.accountId}:targetgroup/${pick(ctx, ["orders-tg", "payments-tg", "web-tg"])}/${ctx.ids.hex(16)}` }),
  "autoscaling:DescribeAutoScalingGroups": (_ctx, t) => serviceCall(t, "autoscaling", "DescribeAutoScalingGroups", true, { maxRecords: 100 }),
  "logs:DescribeLogGroups": (_ctx, t) => serviceCall(t, "logs", "DescribeLogGroups", true, { limit: 50 }),
  "logs:CreateLogStream": (ctx, t) => serviceCall(t, "logs", "CreateLogStream", false, { logGroupName: pick(ctx, LOG_GROUPS), logStreamName: `2026/11/${ctx.ids.hex(32)}` }),
  "logs:FilterLogEvents": (ctx, t) => serviceCall(t, "logs", "FilterLogEvents", true, { logGroupName: pick(ctx, LOG_GROUPS), startTime: t.time - 3_600_000, filterPattern: pick(ctx, ["ERROR", "\"status\": 500", "Timeout"]) }),
  "dynamodb:DescribeTable": (ctx, t) => serviceCall(t, "dynamodb", "DescribeTable", true, { tableName: pick(ctx, TABLES) }),
  "dynamodb:ListTables": (_ctx, t) => serviceCall(t, "dynamodb", "ListTables", true, null),
  "rds:DescribeDBInstances": (_ctx, t) => serviceCall(t, "rds", "DescribeDBInstances", true, null),
  "rds:DescribeDBSnapshots": (ctx, t) => serviceCall(t, "rds", "DescribeDBSnapshots", true, { dBInstanceIdentifier: pick(ctx, DB_INSTANCES), snapshotType: "manual", includeShared: false, includePublic: false }),
  "rds:CreateDBSnapshot": (ctx, t) => {
    const db = pick(ctx, DB_INSTANCES);
    return serviceCall(t, "rds", "CreateDBSnapshot", false, { dBSnapshotIdentifier: `${db}-nightly-${ctx.ids.hex(6)}`, dBInstanceIdentifier: db });
  },
  "cloudtrail:DescribeTrails": (_ctx, t) => serviceCall(t, "cloudtrail", "DescribeTrails", true, { includeShadowTrails: true }),
  "cloudtrail:GetTrailStatus": (ctx, t) => serviceCall(t, "cloudtrail", "GetTrailStatus", true, { name: `arn:aws:cloudtrail:us-east-1:101010101010:trail/${ctx.org.trailName}` }),
  "cloudtrail:LookupEvents": (ctx, t) => serviceCall(t, "cloudtrail", "LookupEvents", true, { maxResults: 50, lookupAttributes: [{ attributeKey: pick(ctx, ["EventName", "Username", "ResourceName"]), attributeValue: pick(ctx, ["ConsoleLogin", "AssumeRole", "DeleteBucket", "alice"]) }] }),
  "guardduty:ListDetectors": (_ctx, t) => serviceCall(t, "guardduty", "ListDetectors", true, null),
  "guardduty:ListFindings": (ctx, t) => serviceCall(t, "guardduty", "ListFindings", true, { detectorId: stableHex(`gd:${t.accountId}:${t.region}`, 32), findingCriteria: { criterion: { "service.archived": { eq: ["false"] } } }, maxResults: 50 }),
  "securityhub:BatchImportFindings": (ctx, t) => serviceCall(t, "securityhub", "BatchImportFindings", false, { findings: [{ schemaVersion: "2018-10-08", id: ctx.ids.uuid(), productArn: `arn:aws:securityhub:${t.region}:${t.accountId}:product/${t.accountId}/default`, generatorId: "security-scanner", awsAccountId: t.accountId, types: ["Software and Configuration Checks"], severity: { label: pick(ctx, ["LOW", "MEDIUM", "INFORMATIONAL"]) }, title: pick(ctx, ["S3 bucket without lifecycle policy", "Security group allows 0.0.0.0/0 on 22", "IAM access key older than 90 days"]) }] }),
  "organizations:DescribeOrganization": (_ctx, t) => globalServiceCall(t, "organizations", "DescribeOrganization", true, null),
  "organizations:ListAccounts": (_ctx, t) => globalServiceCall(t, "organizations", "ListAccounts", true, null),
} satisfies Record<string, CallBuilder>;

export type ApiCallName = keyof typeof API_CALLS;

export function apiCall(ctx: GenContext, name: ApiCallName, target: CallTarget): ApiCallParts {
  return API_CALLS[name](ctx, target);
}

/** What different kinds of principals usually call, with relative weights. */
export const CALL_PROFILES = {
  ec2App: [["s3:GetObject", 6], ["s3:PutObject", 3], ["kms:Decrypt", 4], ["kms:GenerateDataKey", 2], ["secretsmanager:GetSecretValue", 2], ["ssm:UpdateInstanceInformation", 2], ["ssm:ListInstanceAssociations", 1], ["ec2:DescribeTags", 1], ["logs:CreateLogStream", 1], ["sts:GetCallerIdentity", 1]],
  ciRunner: [["ecr:GetAuthorizationToken", 2], ["ecr:BatchGetImage", 3], ["s3:GetObject", 3], ["s3:PutObject", 3], ["ssm:UpdateInstanceInformation", 1], ["sts:GetCallerIdentity", 1]],
  lambda: [["s3:GetObject", 4], ["s3:PutObject", 3], ["kms:Decrypt", 3], ["secretsmanager:GetSecretValue", 1], ["dynamodb:DescribeTable", 1], ["ssm:GetParameter", 1]],
  humanRead: [["ec2:DescribeInstances", 4], ["ec2:DescribeSecurityGroups", 2], ["ec2:DescribeVpcs", 1], ["ec2:DescribeSubnets", 1], ["s3:ListBuckets", 2], ["s3:GetBucketPolicy", 1], ["iam:ListRoles", 2], ["iam:GetRole", 2], ["iam:ListUsers", 1], ["iam:GetUser", 1], ["lambda:ListFunctions20150331", 2], ["cloudformation:DescribeStacks", 2], ["logs:DescribeLogGroups", 1], ["logs:FilterLogEvents", 2], ["cloudtrail:LookupEvents", 1], ["rds:DescribeDBInstances", 1], ["ssm:GetParameter", 1], ["dynamodb:ListTables", 1], ["sts:GetCallerIdentity", 2], ["s3:GetObject", 2], ["ec2:DescribeRegions", 1]],
  humanWrite: [["ec2:CreateTags", 2], ["lambda:UpdateFunctionCode20150331v2", 1], ["s3:PutObject", 2], ["secretsmanager:GetSecretValue", 1], ["iam:TagRole", 1], ["rds:CreateDBSnapshot", 1], ["cloudformation:CreateChangeSet", 1]],
  ciDeploy: [["cloudformation:CreateChangeSet", 2], ["cloudformation:ExecuteChangeSet", 1], ["cloudformation:DescribeStacks", 4], ["cloudformation:DescribeStackEvents", 4], ["s3:PutObject", 3], ["ecr:BatchGetImage", 1], ["ecr:PutImage", 1], ["lambda:UpdateFunctionCode20150331v2", 1], ["iam:GetRole", 1], ["sts:GetCallerIdentity", 2]],
  terraform: [["ec2:DescribeInstances", 2], ["ec2:DescribeSecurityGroups", 3], ["ec2:DescribeVpcs", 2], ["ec2:DescribeSubnets", 2], ["ec2:DescribeNetworkInterfaces", 1], ["iam:GetRole", 4], ["iam:ListAttachedRolePolicies", 3], ["iam:ListRolePolicies", 2], ["iam:GetPolicyVersion", 2], ["s3:GetBucketPolicy", 2], ["s3:GetBucketAcl", 2], ["s3:GetBucketEncryption", 1], ["kms:DescribeKey", 2], ["lambda:GetFunction20150331v2", 2], ["rds:DescribeDBInstances", 1], ["dynamodb:DescribeTable", 1], ["sts:GetCallerIdentity", 1]],
  vendor: [["monitoring:GetMetricData", 8], ["monitoring:DescribeAlarms", 1], ["ec2:DescribeInstances", 3], ["ec2:DescribeVolumes", 1], ["tagging:GetResources", 3], ["rds:DescribeDBInstances", 1], ["lambda:ListFunctions20150331", 1], ["elasticloadbalancing:DescribeTargetHealth", 2], ["autoscaling:DescribeAutoScalingGroups", 1], ["dynamodb:ListTables", 1]],
  audit: [["ec2:DescribeSecurityGroups", 3], ["ec2:DescribeVpcs", 1], ["s3:GetBucketPolicy", 2], ["s3:GetBucketAcl", 2], ["s3:GetBucketLocation", 1], ["s3:GetBucketEncryption", 1], ["iam:ListUsers", 1], ["iam:ListAccessKeys", 2], ["iam:ListMFADevices", 1], ["iam:GetAccountSummary", 1], ["iam:GenerateCredentialReport", 1], ["cloudtrail:DescribeTrails", 1], ["cloudtrail:GetTrailStatus", 1], ["guardduty:ListDetectors", 1], ["guardduty:ListFindings", 1], ["kms:DescribeKey", 1]],
  securityHub: [["securityhub:BatchImportFindings", 3], ["guardduty:ListFindings", 2], ["s3:PutObject", 1], ["sts:GetCallerIdentity", 1]],
  reporting: [["s3:GetObject", 4], ["s3:ListObjects", 2], ["ec2:DescribeInstances", 1], ["dynamodb:DescribeTable", 1]],
  management: [["organizations:DescribeOrganization", 2], ["organizations:ListAccounts", 2], ["iam:ListRoles", 1], ["s3:GetObject", 1], ["cloudtrail:GetTrailStatus", 1]],
} as const satisfies Record<string, readonly (readonly [ApiCallName, number])[]>;

export type CallProfile = keyof typeof CALL_PROFILES;

export function pickCall(ctx: GenContext, profile: CallProfile): ApiCallName {
  return ctx.rng.weighted(CALL_PROFILES[profile]);
}
