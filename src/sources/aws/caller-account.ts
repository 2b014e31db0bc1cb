import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { credentialFailureReason } from "./credential-errors.js";

export type CallerAccount =
  | { ok: true; accountId: string; arn: string }
  | { ok: false; reason: string };

/** Which account (and principal) these credentials belong to, by sts:GetCallerIdentity: read-only, needs no permission. */
export async function lookUpCallerAccount(
  credentials: AwsCredentialIdentityProvider,
  sts: { region: string; endpoint?: string },
): Promise<CallerAccount> {
  const client = new STSClient({ region: sts.region, credentials, maxAttempts: 2, ...(sts.endpoint !== undefined ? { endpoint: sts.endpoint } : {}) });
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    if (identity.Account === undefined) return { ok: false, reason: "sts:GetCallerIdentity gave no account id" };
    return { ok: true, accountId: identity.Account, arn: identity.Arn ?? "" };
  } catch (error) {
    return { ok: false, reason: credentialFailureReason(error) };
  } finally {
    client.destroy();
  }
}
