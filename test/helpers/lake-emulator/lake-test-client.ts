import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";

/** A real CloudTrail client pointed at the emulator: static keys (it does not check signatures), no retries. */
export function lakeTestClient(url: string): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAEMULATOR0000TEST", secretAccessKey: "emulator" },
    maxAttempts: 1,
  });
}
