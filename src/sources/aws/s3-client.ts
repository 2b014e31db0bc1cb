import { S3Client } from "@aws-sdk/client-s3";
import { apiClientConfig } from "./api-client-config.js";
import type { AwsAccess } from "./aws-access.js";

/**
 * The S3 client for trail buckets. Region redirects are followed (a bucket in another region
 * still works); with --endpoint-url, path-style addressing, since S3-compatible stores rarely
 * resolve bucket.host names. Checksums only when required: rolechain never uploads, and
 * S3-compatible stores often send none.
 */
export function createS3Client(access: AwsAccess): S3Client {
  return new S3Client({
    ...apiClientConfig(access),
    followRegionRedirects: true,
    retryMode: "adaptive",
    maxAttempts: 5,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(access.endpointUrl !== null ? { forcePathStyle: true } : {}),
  });
}
