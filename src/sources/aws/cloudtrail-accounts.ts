import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudTrailAccounts } from "../cloudtrail-api/lookup-events-source.js";
import { apiClientConfig } from "./api-client-config.js";
import type { AwsAccess } from "./aws-access.js";

/** CloudTrail clients per account and region, over this run's credentials; one client each, made on first use. */
export function cloudTrailAccountsFor(access: AwsAccess): CloudTrailAccounts {
  const clients = new Map<string, ReturnType<CloudTrailAccounts["client"]>>();
  return {
    defaultAccounts: () => access.defaultAccounts(),
    client(accountId, region) {
      const key = `${accountId}/${region}`;
      let client = clients.get(key);
      if (!client) {
        client = (async () => {
          const found = await access.credentialsFor(accountId);
          if (!found.ok) return { ok: false as const, reason: found.reason };
          return {
            ok: true as const,
            client: new CloudTrailClient({
              ...apiClientConfig(access, { region, credentials: found.credentials }),
              // Throttling has its own limiter and backoff in the source; the SDK retries the rest.
              maxAttempts: 3,
            }),
          };
        })();
        clients.set(key, client);
      }
      return client;
    },
  };
}
