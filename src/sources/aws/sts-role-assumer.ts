import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * fromIni's roleAssumer for role_arn profiles, sending AssumeRole to a chosen STS endpoint. The
 * SDK's own assumer takes no endpoint in its typed options, and fromIni's clientConfig would also
 * move its SSO and sign-in clients. A client per call: it is signed with that call's source credentials.
 */
export function stsRoleAssumer(sts: { region: string; endpoint: string }) {
  return async (sourceCredentials: AwsCredentialIdentity, params: AssumeRoleCommandInput): Promise<AwsCredentialIdentity> => {
    const client = new STSClient({ region: sts.region, endpoint: sts.endpoint, credentials: sourceCredentials });
    try {
      const { Credentials } = await client.send(new AssumeRoleCommand(params));
      if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
        throw new Error(`STS gave no credentials for role ${params.RoleArn ?? ""}`);
      }
      return {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
        ...(Credentials.SessionToken !== undefined ? { sessionToken: Credentials.SessionToken } : {}),
        ...(Credentials.Expiration !== undefined ? { expiration: Credentials.Expiration } : {}),
      };
    } finally {
      client.destroy();
    }
  };
}
