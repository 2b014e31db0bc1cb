import { z } from "zod";

/** The sweep's policy of who may assume what. Validated strictly: an unknown key is an error, not ignored. */

const accountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
/** An ARN where `*` matches any run of characters (e.g. arn:aws:iam::222222222222:role/vendor-*). */
const arnPattern = z.string().min(1);

export const SweepConfigSchema = z.strictObject({
  trustedAccounts: z.array(accountId).min(1).meta({ description: "Accounts that may assume any role in any other trusted account (e.g. the organization's own)." }),
  allow: z.array(z.strictObject({
    callerAccount: accountId,
    roleArn: arnPattern.meta({ description: "Role ARN; `*` wildcards allowed." }),
    note: z.string().optional(),
  })).default([]).meta({ description: "Outside accounts admitted to named roles." }),
  webIdentity: z.array(z.strictObject({
    provider: z.string().min(1).meta({ description: "OIDC provider host, e.g. token.actions.githubusercontent.com" }),
    subject: z.string().min(1).meta({ description: "Allowed `sub` claim; `*` wildcards allowed (e.g. repo:example-org/infra:ref:refs/heads/main)." }),
    roleArn: arnPattern.default("*"),
    note: z.string().optional(),
  })).default([]).meta({ description: "Web identities (OIDC) admitted to roles." }),
  overlap: z.string().default("1h").meta({ description: "With --state: how far before the last run's end the next run starts (late CloudTrail delivery)." }),
});

export type SweepConfig = z.infer<typeof SweepConfigSchema>;
