/**
 * The AWS commercial ("aws" partition) regions, opt-in ones included, as of late 2025. LookupEvents
 * is per region, and STS calls are logged in the region of the endpoint that served them (facts §2.7),
 * so a trace searches every region unless the user names some. A region the account has not enabled
 * answers UnrecognizedClientException; the source then drops it for that account without a problem line.
 * China, GovCloud and the European Sovereign Cloud are other partitions with other credentials.
 */
export const DEFAULT_LOOKUP_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
  "eu-north-1", "eu-south-1", "eu-south-2",
  "il-central-1", "me-south-1", "me-central-1", "af-south-1",
  "ap-south-1", "ap-south-2", "ap-east-1", "ap-east-2",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
];
