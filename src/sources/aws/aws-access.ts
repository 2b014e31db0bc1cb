import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * How this run reaches AWS: one base identity (--profile or the SDK's default chain) plus, for
 * other accounts, a profile each (--account-profile ACCOUNT=PROFILE) or a role template
 * (--assume-role 'arn:aws:iam::{accountId}:role/X'). Sources ask for credentials per account and
 * get a reason instead when an account cannot be reached, so a trace can report the gap.
 */
export interface AwsAccess {
  /** Region for API clients when none is implied (--region, AWS_REGION, the profile's, else us-east-1). */
  readonly region: string;
  /** --endpoint-url: an S3-compatible store or a local test server; null for AWS itself. */
  readonly endpointUrl: string | null;
  readonly baseCredentials: AwsCredentialIdentityProvider;
  /** Credentials that can read `accountId`'s CloudTrail, or why there are none. */
  credentialsFor(accountId: string): Promise<AccountCredentials>;
  /** Accounts searched when a query names none: the base identity's and every --account-profile. */
  defaultAccounts(): Promise<string[]>;
}

export type AccountCredentials =
  | { ok: true; credentials: AwsCredentialIdentityProvider }
  | { ok: false; reason: string };
