import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountCredentials, AwsAccess } from "./aws-access.js";
import { roleArnForAccount } from "./assume-role-template.js";
import { resolveAwsRegion } from "./aws-region.js";
import { lookUpCallerAccount, type CallerAccount } from "./caller-account.js";
import { credentialFailureReason } from "./credential-errors.js";
import { memoizeCredentials } from "./memoize-credentials.js";
import { stsRoleAssumer } from "./sts-role-assumer.js";

// The CLI loads this one module for everything AWS-access; the flag parsers live in their own files.
export { parseAccountProfiles } from "./account-profile-flag.js";
export { validateAssumeRoleTemplate } from "./assume-role-template.js";
export { describeCredentialError } from "./credential-errors.js";

export interface AwsAccessOptions {
  /** --profile: base credentials from this named profile; otherwise the SDK's default chain. */
  profile?: string;
  region?: string;
  /** --endpoint-url, for S3 and CloudTrail clients only: an S3-compatible store does not speak STS. */
  endpointUrl?: string;
  /** --account-profile: account id → profile name. */
  accountProfiles?: ReadonlyMap<string, string>;
  /** --assume-role: an IAM role ARN containing {accountId} (checked by validateAssumeRoleTemplate). */
  assumeRoleTemplate?: string;
  /** Asked for the code when a profile has mfa_serial; the CLI passes terminalMfaPrompt. */
  mfaCodeProvider?: (serialArn: string) => Promise<string>;
  /**
   * Where STS calls (AssumeRole, GetCallerIdentity) go instead of AWS. Without it, env
   * AWS_ENDPOINT_URL_STS; the SDK itself also honours that and AWS_ENDPOINT_URL from process.env.
   */
  stsEndpointUrl?: string;
  /**
   * Read for AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE (for the region) and AWS_ENDPOINT_URL_STS;
   * default process.env. The SDK's credential providers read process.env themselves (profiles'
   * file paths, keys, AWS_PROFILE), so this does not isolate them.
   */
  env?: NodeJS.ProcessEnv;
}

/** AwsAccess plus the base identity, for saying whose credentials a run uses. */
export interface RunAwsAccess extends AwsAccess {
  /** The account and principal of the base credentials (sts:GetCallerIdentity, once per run), or why unknown. */
  baseAccount(): Promise<CallerAccount>;
}

export const ROLE_SESSION_NAME = "rolechain-incident-response";

/**
 * How this run reaches AWS. Async because the region may come from the profile in the config
 * file. Nothing is called here: credentials are resolved when an account is first asked for.
 */
export async function createAwsAccess(options: AwsAccessOptions): Promise<RunAwsAccess> {
  const env = options.env ?? process.env;
  const region = await resolveAwsRegion({ region: options.region, profile: options.profile, env });
  const stsEndpoint = nonEmpty(options.stsEndpointUrl)
    ?? (env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] === "true" ? undefined : nonEmpty(env["AWS_ENDPOINT_URL_STS"]));
  const sts = { region, ...(stsEndpoint !== undefined ? { endpoint: stsEndpoint } : {}) };
  const accountProfiles = options.accountProfiles ?? new Map<string, string>();
  const mfaCodeProvider = options.mfaCodeProvider;

  type IniInit = NonNullable<Parameters<typeof fromIni>[0]>;
  const iniInit = (profile: string | undefined): IniInit => ({
    ...(profile !== undefined ? { profile } : {}),
    ...(mfaCodeProvider !== undefined ? { mfaCodeProvider } : {}),
    // The region a calling client would lend: the SDK's nested STS client for role_arn profiles
    // uses it when the profile has none (instead of warning and picking us-east-1).
    parentClientConfig: { region },
    // Not clientConfig: fromIni hands that to its SSO and sign-in clients too, which must keep their
    // own region and endpoint.
    ...(stsEndpoint !== undefined ? { roleAssumer: stsRoleAssumer({ region, endpoint: stsEndpoint }) } : {}),
  });

  const profileCredentials = new Map<string, AwsCredentialIdentityProvider>();
  const credentialsOfProfile = (profile: string): AwsCredentialIdentityProvider => {
    let provider = profileCredentials.get(profile);
    if (provider === undefined) {
      provider = memoizeCredentials(fromIni(iniInit(profile)));
      profileCredentials.set(profile, provider);
    }
    return provider;
  };

  // With --profile, the same provider as an --account-profile naming that profile: one MFA prompt.
  const baseCredentials = options.profile !== undefined
    ? credentialsOfProfile(options.profile)
    : memoizeCredentials(fromNodeProviderChain(iniInit(undefined)));

  let baseLookup: Promise<CallerAccount> | null = null;
  const baseAccount = () => (baseLookup ??= lookUpCallerAccount(baseCredentials, sts));

  const reach = async (accountId: string): Promise<AccountCredentials> => {
    if (!/^\d{12}$/.test(accountId)) return { ok: false, reason: `"${accountId}" is not an AWS account id (12 digits)` };
    const profile = accountProfiles.get(accountId);
    if (profile !== undefined) {
      return resolvedNow(credentialsOfProfile(profile), {}, (reason) => `account ${accountId} (profile ${profile}): ${reason}`);
    }
    const base = await baseAccount();
    if (base.ok && base.accountId === accountId) return { ok: true, credentials: baseCredentials };
    if (options.assumeRoleTemplate !== undefined) {
      const roleArn = roleArnForAccount(options.assumeRoleTemplate, accountId);
      const assumed = memoizeCredentials(fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME },
        masterCredentials: baseCredentials,
        clientConfig: sts,
      }));
      return resolvedNow(assumed, { roleArn }, (reason) =>
        reason.includes(roleArn) ? `account ${accountId}: ${reason}` : `account ${accountId}: cannot assume ${roleArn}: ${reason}`);
    }
    const why = base.ok ? "" : ` (and the base credentials' own account is unknown: ${base.reason})`;
    return { ok: false, reason: `no credentials for account ${accountId}: give --account-profile ${accountId}=PROFILE or --assume-role${why}` };
  };

  const reached = new Map<string, Promise<AccountCredentials>>();
  return {
    region,
    endpointUrl: nonEmpty(options.endpointUrl) ?? null,
    baseCredentials,
    baseAccount,
    credentialsFor(accountId) {
      let result = reached.get(accountId);
      if (result === undefined) {
        result = reach(accountId);
        reached.set(accountId, result);
      }
      return result;
    },
    async defaultAccounts() {
      const base = await baseAccount();
      if (!base.ok && accountProfiles.size === 0) {
        throw new Error(`cannot tell which AWS account to search: ${base.reason}`);
      }
      return [...new Set([...(base.ok ? [base.accountId] : []), ...accountProfiles.keys()])];
    },
  };
}

/** Resolves the credentials now, so a failure becomes the account's reason instead of a later stack trace. */
async function resolvedNow(
  credentials: AwsCredentialIdentityProvider,
  context: { roleArn?: string },
  explain: (reason: string) => string,
): Promise<AccountCredentials> {
  try {
    await credentials();
    return { ok: true, credentials };
  } catch (error) {
    return { ok: false, reason: explain(credentialFailureReason(error, context)) };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
