import { z } from "zod";
import { OriginSchema } from "./trace-report.js";

/**
 * rolechain.finding/v1 — one line of `sweep --format jsonl`. docs/schema/finding.v1.json is generated
 * from this schema (npm run schema). Kinds and field names are a contract: add, never rename.
 */

const nullableString = z.string().nullable();

export const FindingKindSchema = z.enum([
  "unexpected-cross-account-assume-role",
  "outbound-cross-account-assume-role",
  "trust-policy-external-principal",
  "web-identity-unexpected-subject",
  "trust-policy-unconstrained-web-identity",
]).meta({ description: "Stable finding kind; see docs/sweep.md for what each means and how to triage it." });

export const SeveritySchema = z.enum(["low", "medium", "high", "critical"]);

export const PolicyPrincipalSchema = z.object({
  element: z.enum(["Principal", "NotPrincipal"]),
  kind: z.enum(["AWS", "Federated", "Service", "CanonicalUser", "*"]),
  value: z.string().meta({ description: "As written in the policy: an ARN, a bare account id, a provider, a service, or *." }),
  accountId: nullableString.meta({ description: "The account the principal belongs to, when it names one." }),
  conditionKeys: z.array(z.string()).meta({ description: "Condition keys of the statement that admits it (e.g. token.actions.githubusercontent.com:sub)." }),
}).meta({ id: "PolicyPrincipal" });

export const TraceSummarySchema = z.object({
  complete: z.boolean(),
  hops: z.number().int(),
  origin: OriginSchema.nullable(),
  gaps: z.array(z.string()).meta({ description: "Gap reasons, when the chain behind the caller is incomplete." }),
}).meta({ id: "TraceSummary", description: "The chain behind the caller, from rolechain's tracer." });

export const FindingSchema = z.object({
  schema: z.literal("rolechain.finding/v1"),
  id: z.string().meta({ description: "Stable id of the finding: the same event always gets the same id (kind + eventID)." }),
  kind: FindingKindSchema,
  severity: SeveritySchema,
  eventID: z.string().meta({ description: "The role owner's copy when it exists (for inbound calls), else the copy in the logs." }),
  sharedEventID: nullableString,
  eventName: z.string(),
  eventTime: nullableString,
  awsRegion: nullableString,
  recipientAccountId: nullableString,
  roleArn: nullableString,
  roleAccountId: nullableString,
  callerAccountId: nullableString,
  callerArn: nullableString,
  callerType: nullableString,
  sourceIPAddress: nullableString,
  userAgent: nullableString,
  reason: z.string().meta({ description: "One sentence: what was seen and which rule it breaks." }),
  principals: z.array(PolicyPrincipalSchema).meta({ description: "For trust-policy kinds: the offending principals." }),
  webIdentity: z.object({ provider: nullableString, subject: nullableString }).nullable(),
  trace: TraceSummarySchema.nullable(),
}).meta({ id: "Finding" });

export type FindingKind = z.infer<typeof FindingKindSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type PolicyPrincipal = z.infer<typeof PolicyPrincipalSchema>;
export type TraceSummary = z.infer<typeof TraceSummarySchema>;
export type Finding = z.infer<typeof FindingSchema>;
