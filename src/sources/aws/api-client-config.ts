import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { AwsAccess } from "./aws-access.js";

/**
 * What every API client of a run shares: a region, credentials and --endpoint-url. Defaults are
 * the run's region and base credentials; a client for another account or a store in another
 * region passes its own.
 */
export function apiClientConfig(
  access: AwsAccess, own: { region?: string; credentials?: AwsCredentialIdentityProvider } = {},
): { region: string; credentials: AwsCredentialIdentityProvider; endpoint?: string } {
  return {
    region: own.region ?? access.region,
    credentials: own.credentials ?? access.baseCredentials,
    ...(access.endpointUrl !== null ? { endpoint: access.endpointUrl } : {}),
  };
}
