import { SourceUnavailableError } from "../source-errors.js";
import type { BucketLister } from "./bucket-lister.js";
import { describeS3Failure } from "./s3-errors.js";
import {
  awsLogsPrefix, parseAwsLogsFolders, parseOrganizationFolders, s3Uri, type AccountLogFolder, type S3Location,
} from "./trail-key-layout.js";

/**
 * The account folders of a trail bucket, found by listing with Delimiter "/": AWSLogs/ first, then
 * each organization folder under it. Two or three small requests whatever the bucket's size.
 * Anything that makes the bucket unusable (no credentials, no bucket, no ListBucket permission,
 * another region, no AWSLogs/ at all) is a SourceUnavailableError naming `uri`.
 */
export async function discoverAccountFolders(
  lister: BucketLister, location: S3Location, uri: string,
): Promise<AccountLogFolder[]> {
  const listFolders = async (prefix: string): Promise<string[]> => {
    try {
      return await lister.folders(prefix);
    } catch (error) {
      throw new SourceUnavailableError(uri, describeS3Failure(error, { operation: "ListObjectsV2", bucket: location.bucket, prefix }), { cause: error });
    }
  };
  const awsLogs = awsLogsPrefix(location);
  const top = parseAwsLogsFolders(awsLogs, await listFolders(awsLogs));
  const accounts = [...top.accounts];
  for (const organizationPrefix of top.organizationPrefixes) {
    accounts.push(...parseOrganizationFolders(organizationPrefix, await listFolders(organizationPrefix)));
  }
  if (accounts.length === 0) throw new SourceUnavailableError(uri, noLogsReason(location));
  return accounts;
}

function noLogsReason(location: S3Location): string {
  const expected = `${s3Uri(location.bucket, awsLogsPrefix(location))}[o-ORGID/]ACCOUNT/CloudTrail/`;
  // A prefix that already reaches into the layout is the likeliest mistake.
  const inside = location.prefix.indexOf("AWSLogs/");
  const hint = inside === -1 ? "" : `; give the part before AWSLogs/: ${s3Uri(location.bucket, location.prefix.slice(0, inside))}`;
  return `no CloudTrail logs: nothing at ${expected}${hint}`;
}
