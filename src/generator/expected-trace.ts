import type { ExpectedFinding } from "./expected-finding.js";

/**
 * The chain a correct tracer must rebuild for each embedded scenario. Tests of the tracer compare
 * against these; the generator writes them to scenarios.json next to (never inside) logs/.
 */

export type ExpectedGapReason =
  | "subject-not-found"
  | "issuer-not-found"
  | "caller-account-logs-missing"
  | "ambiguous-issuer"
  | "identity-missing";

export interface ExpectedHop {
  /** arn:aws:sts::ACCT:assumed-role/ROLE/SESSION (or a federated-user ARN). */
  sessionArn: string;
  /** The role owner's copy of the issuing AssumeRole* or GetFederationToken when it exists in the logs, else the only copy present. */
  issuingEventId: string;
  /** The caller account's copy (same sharedEventID); null when same-account or absent. */
  callerEventId: string | null;
  /** accessKeyId for programmatic sessions; assumedRoleArn for console sessions and the creationDate-missing fallback. */
  matchedBy: "accessKeyId" | "assumedRoleArn";
  /** Caller account differs from the role's account. */
  crossAccount: boolean;
  /** userIdentity.type of the caller as finally resolved (IAMUser, AssumedRole, SAMLUser, WebIdentityUser, AWSService, AWSAccount when the caller's logs are absent). */
  callerType: string;
}

export interface ExpectedOrigin {
  type: string;
  arn: string | null;
  accountId: string | null;
  /** IP of the origin's own call: caller copy for cross-account, SwitchRole for console switches, the subject when there are no hops. */
  sourceIPAddress: string | null;
  userName: string | null;
  /** Whether the origin used MFA for its step; null where MFA does not apply. */
  mfaAuthenticated: boolean | null;
  identityProvider: string | null;
  /** The sourceIdentity the subject session carries, if any. */
  sourceIdentity: string | null;
  /** For AWSService origins, e.g. ec2.amazonaws.com. */
  invokedBy: string | null;
}

export interface ExpectedTrace {
  /** Stable kebab-case id, e.g. "cross-account-shared-event-id". */
  name: string;
  /** One or two sentences a responder would understand. */
  story: string;
  subjectEventId: string;
  subjectEventTime: string;
  subjectAccountId: string;
  subjectRegion: string;
  /** hops[0] is the session that made the subject call; the last hop is nearest the origin. */
  hops: ExpectedHop[];
  /** Null when the subject is missing or a gap (issuer-not-found, ambiguous-issuer) cuts the chain before any origin. */
  origin: ExpectedOrigin | null;
  complete: boolean;
  gapReasons: ExpectedGapReason[];
  /** Present when a hop had to use the lookback fallback (creationDate missing). */
  fallback?: { candidates: number };
}

/** scenarios.json */
export interface ScenariosFile {
  schema: "rolechain.generator-scenarios/v1";
  seed: number;
  accounts: { id: string; name: string; inLogs: boolean }[];
  regions: string[];
  /** The trace scenarios (sweep scenarios have no subject and appear only through their findings). */
  scenarios: ExpectedTrace[];
  /** Everything `rolechain sweep --config sweep-config.json` must report over the whole corpus, sorted by eventTime then eventID. */
  findings: ExpectedFinding[];
}
