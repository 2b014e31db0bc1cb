import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Temporary credentials are fetched again this long before they expire, as the SDK does. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One resolution shared by every caller: fromIni and fromTemporaryCredentials call STS (and ask for
 * an MFA code) each time they are invoked, and every client would invoke them again. A failure is
 * kept too, so an account that cannot be reached is tried once per run, not once per request.
 */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | null = null;
  return async () => {
    if (current === null) {
      // Fresh ones are handed out even if short-lived; the next call refreshes them.
      current = provider();
      return current;
    }
    const pending = current;
    const credentials = await pending;
    if (!expiresSoon(credentials)) return credentials;
    if (current === pending) current = provider();
    return current;
  };
}

function expiresSoon(credentials: AwsCredentialIdentity): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS;
}
