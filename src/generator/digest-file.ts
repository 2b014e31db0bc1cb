import { stableHex } from "./ids.js";
import type { OrgModel } from "./org-model.js";
import { datePath, digestFileStamp, isoSeconds } from "./time-format.js";

/** One log file as a digest lists it: hashValue is the hex SHA-256 of the *uncompressed* file. */
export interface DigestedLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: "SHA-256";
  newestEventTime: string;
  oldestEventTime: string;
}

/** CloudTrail-Digest/<region>/…/<acct>_CloudTrail-Digest_<region>_<trail>_<homeRegion>_<YYYYMMDDTHHMMSSZ>.json.gz */
export function digestKey(org: OrgModel, accountId: string, region: string, deliveredMs: number): string {
  return `AWSLogs/${org.orgId}/${accountId}/CloudTrail-Digest/${region}/${datePath(deliveredMs)}/`
    + `${accountId}_CloudTrail-Digest_${region}_${org.trailName}_${org.homeRegion}_${digestFileStamp(deliveredMs)}.json.gz`;
}

export interface DigestInput {
  org: OrgModel;
  accountId: string;
  startMs: number;
  endMs: number;
  key: string;
  logFiles: DigestedLogFile[];
  previous: { key: string; hash: string; signature: string } | null;
}

/**
 * The digest field set of CT-DIGEST. The signature is not real (there is no AWS key to sign with):
 * validation of these digests is expected to fail; they exist so readers learn to skip them.
 */
export function buildDigest(d: DigestInput): Record<string, unknown> {
  const newest = d.logFiles.map((f) => f.newestEventTime).sort().at(-1) ?? null;
  const oldest = d.logFiles.map((f) => f.oldestEventTime).sort()[0] ?? null;
  return {
    awsAccountId: d.accountId,
    digestStartTime: isoSeconds(d.startMs),
    digestEndTime: isoSeconds(d.endMs),
    digestS3Bucket: d.org.trailBucket,
    digestS3Object: d.key,
    digestPublicKeyFingerprint: stableHex(`digest-key:${d.org.homeRegion}`, 32),
    digestSignatureAlgorithm: "SHA256withRSA",
    newestEventTime: newest,
    oldestEventTime: oldest,
    previousDigestS3Bucket: d.previous ? d.org.trailBucket : null,
    previousDigestS3Object: d.previous?.key ?? null,
    previousDigestHashValue: d.previous?.hash ?? null,
    previousDigestHashAlgorithm: d.previous ? "SHA-256" : null,
    previousDigestSignature: d.previous?.signature ?? null,
    logFiles: d.logFiles,
  };
}
