import { z } from "zod";

/**
 * rolechain.trace/v1 — the JSON contract of `trace-role --format json`. docs/schema/trace.v1.json
 * is generated from these schemas (npm run schema); change them only in backward-compatible ways.
 */

const nullableString = z.string().nullable();

export const EventRefSchema = z.object({
  eventID: z.string(),
  eventName: z.string(),
  eventSource: nullableString,
  eventTime: nullableString,
  awsRegion: nullableString,
  recipientAccountId: nullableString,
  sourceIPAddress: nullableString,
  userAgent: nullableString,
  sharedEventID: nullableString,
}).meta({ id: "EventRef", description: "A CloudTrail event, by CloudTrail's own field names; null where the record has no value." });

export const PrincipalSchema = z.object({
  type: nullableString.meta({ description: "CloudTrail's userIdentity.type (IAMUser, Root, AssumedRole, SAMLUser, WebIdentityUser, AWSService, AWSAccount, FederatedUser, IdentityCenterUser, …)." }),
  arn: nullableString,
  accountId: nullableString,
  principalId: nullableString,
  accessKeyId: nullableString,
  userName: nullableString,
  sessionName: nullableString,
  roleArn: nullableString.meta({ description: "The role behind a session, with its IAM path when the logs show it." }),
  identityProvider: nullableString,
  invokedBy: nullableString,
  mfaAuthenticated: z.boolean().nullable(),
  sourceIdentity: nullableString,
  webIdentitySubject: nullableString.meta({ description: "OIDC subject, e.g. repo:org/repo:ref:refs/heads/main for GitHub Actions." }),
  instanceId: nullableString.meta({ description: "EC2 instance id of an instance-profile session." }),
}).meta({ id: "Principal", description: "Who a principal is, as far as the logs say; null when unknown." });

export const MatchedBySchema = z.enum(["accessKeyId", "assumedRoleArn"]).meta({
  description: "accessKeyId: issued key + session ARN + creationDate all matched. assumedRoleArn: session ARN + creationDate (console sessions sign each request with a new key) or the lookback fallback.",
});

export const FallbackSchema = z.object({
  reason: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  candidates: z.number().int().meta({ description: "Distinct issuing calls for this session ARN inside the window." }),
}).meta({ description: "Present when the session carried no creationDate and the latest issuing call inside the lookback window was taken." });

export const HopSchema = z.object({
  session: PrincipalSchema,
  assumeRole: EventRefSchema.meta({ description: "The issuing event: the role owner's copy when present." }),
  callerEvent: EventRefSchema.nullable().meta({ description: "The caller account's copy of the same call, found by sharedEventID." }),
  switchRole: EventRefSchema.nullable().meta({ description: "The console SwitchRole sign-in event for console sessions." }),
  caller: PrincipalSchema,
  callerSourceIPAddress: nullableString.meta({ description: "Where the caller really was: SwitchRole's IP for console switches, the caller copy's IP for cross-account calls." }),
  crossAccount: z.boolean(),
  matchedBy: MatchedBySchema,
  fallback: FallbackSchema.nullable(),
}).meta({ id: "Hop", description: "One AssumeRole* (or GetFederationToken) step: the session, the call that issued it, and who made that call." });

export const OriginSchema = PrincipalSchema.extend({
  sourceIPAddress: nullableString,
  userAgent: nullableString,
  event: EventRefSchema.nullable().meta({ description: "The origin's own call: the issuing event it made, or the subject when there are no hops." }),
}).meta({ id: "Origin", description: "The principal the chain starts from, with where its own call came from." });

export const GapReasonSchema = z.enum([
  "subject-not-found",
  "identity-missing",
  "issuer-not-found",
  "ambiguous-issuer",
  "caller-account-logs-missing",
  "origin-unknown",
  "loop-detected",
  "depth-limit",
]);

export const SearchedSchema = z.object({
  eventNames: z.array(z.string()).nullable(),
  accounts: z.array(z.string()).nullable().meta({ description: "Accounts asked for; null = all." }),
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  coverage: z.object({
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    earliestEventTime: nullableString,
    latestEventTime: nullableString,
  }).meta({ description: "What the sources actually held where they looked." }),
});

export const GapSchema = z.object({
  reason: GapReasonSchema,
  message: z.string(),
  hop: z.number().int().nullable().meta({ description: "Index into hops (or the hop that would have been next); null for the subject." }),
  searched: SearchedSchema.nullable(),
}).meta({ id: "Gap", description: "A step that could not be completed, and what was searched." });

export const SkippedSchema = z.object({
  location: z.string(),
  reason: z.string(),
  effect: z.enum(["skipped", "partial"]),
});

export const TraceStatsSchema = z.object({
  durationMs: z.number(),
  queries: z.number().int(),
  filesRead: z.number().int().meta({ description: "Log files and S3 objects read, plus LookupEvents requests sent." }),
  filesPruned: z.number().int().meta({ description: "Log files and S3 objects not read because their name or key ruled them out." }),
  bytesRead: z.number().int().meta({ description: "Compressed bytes read from files and objects; the size of CloudTrailEvent strings for LookupEvents." }),
  recordsScanned: z.number().int().meta({ description: "Records examined (events returned, for LookupEvents)." }),
});

export const TraceReportSchema = z.object({
  schema: z.literal("rolechain.trace/v1"),
  sources: z.array(z.string()),
  subject: EventRefSchema.nullable(),
  hops: z.array(HopSchema),
  origin: OriginSchema.nullable(),
  complete: z.boolean(),
  gaps: z.array(GapSchema),
  skipped: z.array(SkippedSchema),
  stats: TraceStatsSchema,
});

export type EventRef = z.infer<typeof EventRefSchema>;
export type Principal = z.infer<typeof PrincipalSchema>;
export type Hop = z.infer<typeof HopSchema>;
export type Origin = z.infer<typeof OriginSchema>;
export type Gap = z.infer<typeof GapSchema>;
export type GapReason = z.infer<typeof GapReasonSchema>;
export type Searched = z.infer<typeof SearchedSchema>;
export type Fallback = z.infer<typeof FallbackSchema>;
export type TraceReport = z.infer<typeof TraceReportSchema>;
