import type { Argv } from "yargs";

/** The flags that say how to reach AWS; the same for every command that reads a --source. */
export interface AwsFlagArgs {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  cacheDir?: string;
  accountProfile?: string[];
  assumeRole?: string;
}

export function awsFlagOptions<T>(y: Argv<T>) {
  return y
    .option("profile", { type: "string", describe: "AWS sources: Named profile from ~/.aws/config and ~/.aws/credentials for the base credentials (default: the SDK's credential chain)" })
    .option("region", { type: "string", describe: "AWS sources: Region for API clients (default: AWS_REGION, the profile's region, else us-east-1)" })
    .option("endpoint-url", { type: "string", describe: "AWS sources: Send S3 and CloudTrail requests here (an S3-compatible store, a VPC endpoint)" })
    .option("cache-dir", { type: "string", describe: "AWS sources: Where downloaded S3 log objects are kept for the next run (default: $XDG_CACHE_HOME/rolechain/s3 or ~/.cache/rolechain/s3)" })
    .option("account-profile", { type: "string", array: true, describe: "AWS sources: ACCOUNT=PROFILE: read this account's CloudTrail with this profile; repeatable" })
    .option("assume-role", { type: "string", describe: "AWS sources: Role template for other accounts, e.g. 'arn:aws:iam::{accountId}:role/IncidentResponseReadOnly'" });
}
