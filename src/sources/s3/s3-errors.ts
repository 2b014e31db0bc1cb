/**
 * S3 failures as one line that says what to do. The SDK has already retried what is transient
 * (its retry strategy); what reaches here is for the user: missing credentials, a missing
 * permission (named), no such bucket, a bucket in another region.
 */

export type S3Request =
  | { operation: "ListObjectsV2"; bucket: string; prefix: string }
  | { operation: "GetObject"; bucket: string; key: string };

/** The fields of an SDK v3 error that say what went wrong; everything optional, errors are loose. */
interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  Region?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, unknown> };
}

const CREDENTIALS_REJECTED = new Set([
  "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "InvalidToken", "SignatureDoesNotMatch",
  "TokenRefreshRequired", "InvalidClientTokenId",
]);
const WRONG_REGION = new Set(["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "TemporaryRedirect"]);

export function describeS3Failure(error: unknown, request: S3Request): string {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "";
  const message = typeof shape.message === "string" ? shape.message : String(error);
  const status = typeof shape.$metadata?.httpStatusCode === "number" ? shape.$metadata.httpStatusCode : null;
  // A failed download is reported with the object as its location: the reason need not repeat it.
  const where = request.operation === "ListObjectsV2" ? ` listing s3://${request.bucket}/${request.prefix}` : "";

  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    return `no AWS credentials: ${message} (use --profile, or set AWS_PROFILE or AWS_ACCESS_KEY_ID)`;
  }
  if (CREDENTIALS_REJECTED.has(name)) return `AWS credentials rejected${where} (${name}): ${message}`;
  if (name === "NoSuchBucket") return `no such bucket: ${request.bucket}`;
  if (WRONG_REGION.has(name) || status === 301 || status === 307) {
    const region = bucketRegion(shape);
    return region
      ? `bucket ${request.bucket} is in region ${region}; pass --region ${region}`
      : `bucket ${request.bucket} is in another region than the client's (${name || `HTTP ${status}`}); pass --region with the bucket's region`;
  }
  if (name === "AccessDenied" || name === "Forbidden" || status === 403) return accessDenied(request, where, message);
  if (request.operation === "GetObject") {
    if (name === "NoSuchKey") return "object was deleted after it was listed";
    if (name === "PreconditionFailed" || status === 412) return "object changed after it was listed (another ETag); run again";
  }
  const code = typeof shape.code === "string" ? shape.code : null;
  const label = name && name !== "Error" ? name : code ?? (status !== null ? `HTTP ${status}` : "error");
  return `S3 ${request.operation} failed${where}: ${label}: ${message}`;
}

function accessDenied(request: S3Request, where: string, message: string): string {
  if (request.operation === "ListObjectsV2") {
    return `access denied${where}: needs s3:ListBucket on arn:aws:s3:::${request.bucket}`;
  }
  // Trails often encrypt with SSE-KMS: S3 then says AccessDenied when the key policy is what refuses.
  const kms = /kms/i.test(message) ? " and kms:Decrypt on the trail's KMS key" : "";
  return `access denied: needs s3:GetObject on arn:aws:s3:::${request.bucket}/${request.key}${kms}`;
}

/** S3 names the bucket's region in the x-amz-bucket-region header, or in the error body's Region. */
function bucketRegion(shape: SdkErrorShape): string | null {
  const header = shape.$response?.headers?.["x-amz-bucket-region"];
  if (typeof header === "string" && header !== "") return header;
  return typeof shape.Region === "string" && shape.Region !== "" ? shape.Region : null;
}
