/**
 * OIDC identity providers appear as provider ARNs (`arn:aws:iam::…:oidc-provider/token.actions.githubusercontent.com`,
 * `…/oidc.eks.eu-west-1.amazonaws.com/id/ABC`), as bare issuers for the built-in ones
 * (`cognito-identity.amazonaws.com`, `accounts.google.com`), or as URLs in config. All reduce to the
 * issuer as IAM writes condition keys: no scheme, no trailing slash, lower case (`<issuer>:sub`).
 */

const OIDC_PROVIDER_ARN = /^arn:[^:]*:iam::[^:]*:oidc-provider\/(.+)$/s;

/** The issuer of an OIDC provider, or null for a SAML provider (or any other ARN). */
export function oidcIssuer(provider: string): string | null {
  const fromArn = OIDC_PROVIDER_ARN.exec(provider);
  if (fromArn) return normalizeIssuer(fromArn[1]!);
  if (provider.startsWith("arn:")) return null;
  return normalizeIssuer(provider);
}

export function normalizeIssuer(issuer: string): string {
  return issuer.trim().replace(/^https?:\/\//i, "").replace(/\/+$/, "").toLowerCase();
}

/** token.actions.githubusercontent.com/acme (GitHub Enterprise's own issuer) → token.actions.githubusercontent.com */
export function issuerHost(issuer: string): string {
  return issuer.split("/")[0]!;
}

export const GITHUB_ACTIONS_HOST = "token.actions.githubusercontent.com";
