import { describe, expect, it } from "vitest";
import { describeS3Failure, type S3Request } from "../../../src/sources/s3/s3-errors.js";

const list: S3Request = { operation: "ListObjectsV2", bucket: "trail-bucket", prefix: "AWSLogs/" };
const get: S3Request = { operation: "GetObject", bucket: "trail-bucket", key: "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/16/f.json.gz" };

/** An error shaped as the SDK v3 throws them. */
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe("describeS3Failure", () => {
  it("says there are no credentials", () => {
    expect(describeS3Failure(sdkError("CredentialsProviderError", "Could not load credentials from any providers"), list))
      .toMatch(/^no AWS credentials: Could not load credentials from any providers/);
  });

  it("says credentials were rejected, and why", () => {
    expect(describeS3Failure(sdkError("ExpiredToken", "The provided token has expired.", { $metadata: { httpStatusCode: 400 } }), list))
      .toBe("AWS credentials rejected listing s3://trail-bucket/AWSLogs/ (ExpiredToken): The provided token has expired.");
  });

  it("names s3:ListBucket when a listing is denied", () => {
    expect(describeS3Failure(sdkError("AccessDenied", "Access Denied", { $metadata: { httpStatusCode: 403 } }), list))
      .toBe("access denied listing s3://trail-bucket/AWSLogs/: needs s3:ListBucket on arn:aws:s3:::trail-bucket");
  });

  it("names s3:GetObject when a download is denied, and kms:Decrypt when KMS refused", () => {
    expect(describeS3Failure(sdkError("AccessDenied", "Access Denied"), get))
      .toBe(`access denied: needs s3:GetObject on arn:aws:s3:::trail-bucket/${get.key}`);
    expect(describeS3Failure(sdkError("AccessDenied", "User is not authorized to perform: kms:Decrypt"), get))
      .toMatch(/needs s3:GetObject on .* and kms:Decrypt on the trail's KMS key$/);
    // Some stores send a bare 403 without a code.
    expect(describeS3Failure(sdkError("Unknown", "", { $metadata: { httpStatusCode: 403 } }), list)).toMatch(/needs s3:ListBucket/);
  });

  it("says the bucket does not exist", () => {
    expect(describeS3Failure(sdkError("NoSuchBucket", "The specified bucket does not exist"), list)).toBe("no such bucket: trail-bucket");
  });

  it("names the bucket's region from the x-amz-bucket-region header or the error body", () => {
    const redirect = sdkError("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.", {
      $metadata: { httpStatusCode: 301 }, $response: { headers: { "x-amz-bucket-region": "eu-central-1" } },
    });
    expect(describeS3Failure(redirect, list)).toBe("bucket trail-bucket is in region eu-central-1; pass --region eu-central-1");
    const malformed = sdkError("AuthorizationHeaderMalformed", "the region 'us-east-1' is wrong; expecting 'ap-south-1'", { Region: "ap-south-1" });
    expect(describeS3Failure(malformed, get)).toBe("bucket trail-bucket is in region ap-south-1; pass --region ap-south-1");
    expect(describeS3Failure(sdkError("Unknown", "", { $metadata: { httpStatusCode: 301 } }), list))
      .toMatch(/in another region than the client's \(Unknown\); pass --region/);
  });

  it("explains objects that vanished or changed between listing and download", () => {
    expect(describeS3Failure(sdkError("NoSuchKey", "The specified key does not exist."), get)).toBe("object was deleted after it was listed");
    expect(describeS3Failure(sdkError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { $metadata: { httpStatusCode: 412 } }), get))
      .toMatch(/changed after it was listed/);
  });

  it("keeps anything else as one line with its code", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(describeS3Failure(refused, list)).toBe("S3 ListObjectsV2 failed listing s3://trail-bucket/AWSLogs/: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9");
    expect(describeS3Failure("boom", get)).toBe("S3 GetObject failed: error: boom");
  });
});
