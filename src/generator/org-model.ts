import { stableAccessKeyId, stableBase64, stableHex, stableUniqueId } from "./ids.js";

/**
 * The fixed organization every corpus is generated for. It does not depend on the seed: names, ARNs
 * and IAM unique ids read the same in every corpus, so a responder can learn the org once.
 */

export type AccountRole = "management" | "identity" | "prod" | "security" | "dev";

export interface Account {
  id: string;
  name: string;
  role: AccountRole;
}

export interface OutsideAccount {
  id: string;
  name: string;
  /** The principal id its callers show in the role owner's copy (AWSAccount identity). */
  callerPrincipalId: string;
}

export interface IamUser {
  accountId: string;
  name: string;
  arn: string;
  principalId: string;
  accessKeyIds: string[];
  /** MFA device ARN when the user has one. */
  mfaSerial: string | null;
  human: boolean;
  ips: string[];
}

export type RoleKind =
  | "human" | "ci" | "ec2" | "lambda" | "saml" | "sso" | "oidc" | "vendor" | "audit" | "service-linked" | "job";

export interface IamRole {
  accountId: string;
  name: string;
  /** IAM path; the session ARN drops it, the role ARN keeps it. */
  path: string;
  arn: string;
  roleId: string;
  kind: RoleKind;
}

export interface Ec2Instance {
  id: string;
  accountId: string;
  region: string;
  role: IamRole;
  publicIp: string;
  privateIp: string;
}

export interface LambdaFunction {
  name: string;
  accountId: string;
  region: string;
  role: IamRole;
}

export interface SamlProvider {
  accountId: string;
  name: string;
  arn: string;
  /** saml:namequalifier, which CloudTrail shows as userIdentity.identityProvider. */
  nameQualifier: string;
  issuer: string;
}

export interface OidcProvider {
  accountId: string;
  arn: string;
  issuerHost: string;
}

export interface SsoUser {
  email: string;
  userId: string;
  ips: string[];
}

export interface OrgModel {
  orgId: string;
  trailName: string;
  trailBucket: string;
  homeRegion: string;
  regions: string[];
  accounts: Account[];
  /**
   * Accounts outside the org, none of whose logs are in the corpus: the vendor and the unknown account
   * assume roles in the org (only the role owner's copy exists); org principals assume roles in the
   * external one (only the caller's copy exists).
   */
  outside: { vendor: OutsideAccount; unknown: OutsideAccount; external: OutsideAccount };
  users: IamUser[];
  roles: IamRole[];
  instances: Ec2Instance[];
  functions: LambdaFunction[];
  samlProviders: SamlProvider[];
  oidcProviders: OidcProvider[];
  ssoUsers: SsoUser[];
  oktaUsers: SsoUser[];
  identityStoreArn: string;
  ssoInstanceHex: string;
  githubRepos: string[];
  buckets: { accountId: string; region: string; name: string }[];
  ips: { office: string[]; home: string[]; attacker: string[]; github: string[]; vendor: string[]; awsService: string[] };
}

export const MANAGEMENT = "101010101010";
export const IDENTITY = "111111111111";
export const PROD = "222222222222";
export const SECURITY = "333333333333";
export const DEV = "444444444444";
export const VENDOR = "999999999999";
export const UNKNOWN = "555555555555";
/** Outside the org and unknown to its sweep config: org principals reach out to roles there. */
export const EXTERNAL = "777777777777";

export const US_EAST_1 = "us-east-1";
export const EU_WEST_1 = "eu-west-1";
export const AP_SOUTHEAST_2 = "ap-southeast-2";

const SSO_PATH = "/aws-reserved/sso.amazonaws.com/";
const SSO_PERMISSION_SETS = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"] as const;

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}${i}`);
  return out;
}

export function roleArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

function makeRole(accountId: string, name: string, kind: RoleKind, path = "/"): IamRole {
  return { accountId, name, path, kind, arn: roleArn(accountId, path, name), roleId: stableUniqueId("AROA", `${accountId}:${name}`) };
}

/** AWSReservedSSO_<PermissionSet>_<16 hex>; the suffix differs per account. */
export function ssoRoleName(accountId: string, permissionSet: string): string {
  return `AWSReservedSSO_${permissionSet}_${stableHex(`${accountId}:${permissionSet}`, 16)}`;
}

function makeUser(accountId: string, name: string, human: boolean, ips: string[], keys = 1): IamUser {
  return {
    accountId, name, human, ips,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    principalId: stableUniqueId("AIDA", `${accountId}:${name}`),
    accessKeyIds: Array.from({ length: keys }, (_, i) => stableAccessKeyId(`${accountId}:${name}:${i}`)),
    mfaSerial: human ? `arn:aws:iam::${accountId}:mfa/${name}` : null,
  };
}

export function buildOrgModel(): OrgModel {
  const ips = {
    office: range("203.0.113.", 10, 60),
    home: range("198.51.100.", 10, 99),
    attacker: [...range("198.51.100.", 201, 250), ...range("192.0.2.", 150, 180)],
    github: ["20.42.11.67", "20.81.155.230", "40.84.171.52", "52.238.25.140", "172.183.81.20", "4.175.110.9", "20.57.44.103", "13.105.49.130"],
    vendor: ["34.227.40.18", "34.227.40.19", "52.20.87.146", "52.20.87.147"],
    awsService: ["3.92.14.201", "18.206.107.24", "34.224.18.9", "52.46.94.122", "13.239.101.254", "54.79.161.228", "3.250.12.7", "52.16.40.231"],
  };
  const accounts: Account[] = [
    { id: MANAGEMENT, name: "org-management", role: "management" },
    { id: IDENTITY, name: "identity", role: "identity" },
    { id: PROD, name: "prod", role: "prod" },
    { id: SECURITY, name: "security-audit", role: "security" },
    { id: DEV, name: "dev", role: "dev" },
  ];
  const office = (i: number, n = 2) => ips.office.slice(i, i + n);
  const home = (i: number) => [ips.home[i]!];

  const users: IamUser[] = [
    makeUser(IDENTITY, "alice", true, [...office(0), ...home(0)], 2),
    makeUser(IDENTITY, "bob", true, [...office(2), ...home(1)]),
    makeUser(IDENTITY, "carol", true, [...office(4), ...home(2)]),
    makeUser(IDENTITY, "dave", true, [...office(6), ...home(3)]),
    makeUser(IDENTITY, "frank", true, [...office(8), ...home(4)]),
    makeUser(IDENTITY, "grace", true, [...office(10), ...home(5)]),
    makeUser(IDENTITY, "henry", true, [...office(12), ...home(6)]),
    makeUser(IDENTITY, "ivan", true, [...office(14), ...home(7)]),
    makeUser(IDENTITY, "judy", true, [...office(16), ...home(8)]),
    makeUser(IDENTITY, "terraform", false, ["203.0.113.200", "203.0.113.201"], 2),
    makeUser(IDENTITY, "deploy-bot", false, ["203.0.113.210"]),
    makeUser(PROD, "legacy-app", false, ["52.44.18.120", "52.44.18.121"]),
    makeUser(PROD, "backup-runner", false, ["3.210.7.44"]),
    makeUser(SECURITY, "siem-ingest", false, ["203.0.113.220"]),
    makeUser(DEV, "erin", true, [...office(18), ...home(9)]),
    makeUser(DEV, "dev-ci", false, ["203.0.113.230"]),
    makeUser(DEV, "reporting-svc", false, ["203.0.113.240"]),
  ];

  const roles: IamRole[] = [
    makeRole(IDENTITY, "identity-admin", "human", "/admin/"),
    makeRole(IDENTITY, "engineer", "human"),
    makeRole(IDENTITY, "data-engineer", "human"),
    makeRole(IDENTITY, "org-billing-admin", "human", "/admin/"),
    makeRole(IDENTITY, "okta-engineer", "saml", "/federated/"),
    makeRole(IDENTITY, "okta-readonly", "saml", "/federated/"),
    makeRole(PROD, "ProdAdmin", "human", "/admin/"),
    makeRole(PROD, "prod-deployer", "ci", "/ci/"),
    makeRole(PROD, "github-actions-deploy", "oidc", "/ci/"),
    makeRole(PROD, "app-server-role", "ec2", "/workloads/"),
    makeRole(PROD, "orders-processor", "lambda", "/service-role/"),
    makeRole(PROD, "vendor-monitoring", "vendor", "/external/"),
    makeRole(PROD, "prod-break-glass", "human", "/admin/"),
    makeRole(PROD, "data-export", "human"),
    makeRole(PROD, "nightly-backup", "job"),
    makeRole(PROD, "AWSServiceRoleForAutoScaling", "service-linked", "/aws-service-role/autoscaling.amazonaws.com/"),
    makeRole(SECURITY, "incident-responder", "human", "/security/"),
    makeRole(SECURITY, "security-scanner", "lambda", "/service-role/"),
    makeRole(SECURITY, "guardduty-forwarder", "lambda", "/service-role/"),
    makeRole(SECURITY, "log-archive-reader", "job"),
    makeRole(SECURITY, "security-tools", "ec2", "/workloads/"),
    makeRole(DEV, "DevAdmin", "human"),
    makeRole(DEV, "sandbox-admin", "human", "/sandbox/"),
    makeRole(DEV, "integration-tests", "ci", "/ci/"),
    makeRole(DEV, "github-actions-deploy", "oidc", "/ci/"),
    makeRole(DEV, "ci-runner", "ec2", "/workloads/"),
    makeRole(DEV, "ops-admin", "human", "/admin/"),
    makeRole(DEV, "vendor-monitoring", "vendor", "/external/"),
    makeRole(DEV, "image-resizer", "lambda", "/service-role/"),
    makeRole(DEV, "AWSServiceRoleForAutoScaling", "service-linked", "/aws-service-role/autoscaling.amazonaws.com/"),
  ];
  for (const account of accounts) {
    roles.push(makeRole(account.id, "ReadOnly", "human"));
    roles.push(makeRole(account.id, "security-audit", "audit", "/security/"));
    roles.push(makeRole(account.id, "terraform-apply", "ci", "/ci/"));
    if (account.role !== "management") roles.push(makeRole(account.id, "OrganizationAccountAccessRole", "human"));
    for (const set of SSO_PERMISSION_SETS) roles.push(makeRole(account.id, ssoRoleName(account.id, set), "sso", SSO_PATH));
  }

  const byName = (accountId: string, name: string): IamRole => {
    const found = roles.find((r) => r.accountId === accountId && r.name === name);
    if (!found) throw new Error(`no role ${name} in ${accountId}`);
    return found;
  };
  const instance = (accountId: string, region: string, roleName: string, n: number, publicIp: string, privateIp: string): Ec2Instance => ({
    id: `i-0${stableHex(`${accountId}:${region}:${roleName}:${n}`, 16)}`,
    accountId, region, role: byName(accountId, roleName), publicIp, privateIp,
  });
  const instances: Ec2Instance[] = [
    instance(PROD, US_EAST_1, "app-server-role", 1, "54.210.33.17", "10.20.1.17"),
    instance(PROD, US_EAST_1, "app-server-role", 2, "54.210.33.58", "10.20.2.58"),
    instance(PROD, US_EAST_1, "app-server-role", 3, "3.94.120.201", "10.20.3.201"),
    instance(PROD, AP_SOUTHEAST_2, "app-server-role", 1, "13.210.44.91", "10.40.1.91"),
    instance(PROD, AP_SOUTHEAST_2, "app-server-role", 2, "13.210.44.92", "10.40.2.92"),
    instance(PROD, EU_WEST_1, "app-server-role", 1, "34.242.18.5", "10.30.1.5"),
    instance(DEV, US_EAST_1, "ci-runner", 1, "3.84.200.14", "10.60.1.14"),
    instance(DEV, US_EAST_1, "ci-runner", 2, "3.84.200.15", "10.60.1.15"),
    instance(DEV, EU_WEST_1, "ci-runner", 1, "54.155.9.77", "10.61.1.77"),
    instance(SECURITY, US_EAST_1, "security-tools", 1, "44.201.7.33", "10.50.1.33"),
  ];
  const lambda = (accountId: string, region: string, name: string, roleName: string): LambdaFunction => ({ name, accountId, region, role: byName(accountId, roleName) });
  const functions: LambdaFunction[] = [
    lambda(PROD, US_EAST_1, "orders-processor", "orders-processor"),
    lambda(PROD, EU_WEST_1, "orders-processor", "orders-processor"),
    lambda(DEV, AP_SOUTHEAST_2, "image-resizer", "image-resizer"),
    lambda(SECURITY, US_EAST_1, "security-scanner", "security-scanner"),
    lambda(SECURITY, US_EAST_1, "guardduty-forwarder", "guardduty-forwarder"),
    lambda(SECURITY, EU_WEST_1, "guardduty-forwarder", "guardduty-forwarder"),
    lambda(SECURITY, AP_SOUTHEAST_2, "guardduty-forwarder", "guardduty-forwarder"),
  ];

  const ssoInstanceHex = stableHex("sso-instance", 16);
  const ssoIssuer = `https://portal.sso.us-east-1.amazonaws.com/saml/assertion/${stableBase64("sso-issuer", 60)}`;
  const samlProviders: SamlProvider[] = [
    {
      accountId: IDENTITY, name: "Okta", arn: `arn:aws:iam::${IDENTITY}:saml-provider/Okta`,
      nameQualifier: `${stableBase64(`nq:${IDENTITY}:Okta`, 27)}=`, issuer: "http://www.okta.com/exk8h2q4vzR5tY7pD5d7",
    },
    ...accounts.map((a): SamlProvider => {
      const name = `AWSSSO_${ssoInstanceHex}_DO_NOT_DELETE`;
      return { accountId: a.id, name, arn: `arn:aws:iam::${a.id}:saml-provider/${name}`, nameQualifier: `${stableBase64(`nq:${a.id}:${name}`, 27)}=`, issuer: ssoIssuer };
    }),
  ];
  const oidcProviders: OidcProvider[] = [PROD, DEV].map((accountId) => ({
    accountId, issuerHost: "token.actions.githubusercontent.com",
    arn: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`,
  }));
  const identityStoreId = `d-${stableHex("identity-store", 10)}`;
  const ssoUser = (email: string, ipIndex: number): SsoUser => ({
    email,
    userId: `${identityStoreId.slice(2)}-${stableHex(`u1:${email}`, 8)}-${stableHex(`u2:${email}`, 4)}-4${stableHex(`u3:${email}`, 3)}-8${stableHex(`u4:${email}`, 3)}-${stableHex(`u5:${email}`, 12)}`,
    ips: [ips.office[20 + ipIndex]!, ips.home[20 + ipIndex]!],
  });

  return {
    orgId: "o-h3x9k2m7qa",
    trailName: "org-trail",
    trailBucket: "example-org-cloudtrail-logs",
    homeRegion: US_EAST_1,
    regions: [US_EAST_1, EU_WEST_1, AP_SOUTHEAST_2],
    accounts,
    outside: {
      vendor: { id: VENDOR, name: "CloudLens (monitoring vendor)", callerPrincipalId: `${stableUniqueId("AROA", `${VENDOR}:cloudlens-collector`)}:cloudlens-collector` },
      unknown: { id: UNKNOWN, name: "unknown", callerPrincipalId: stableUniqueId("AIDA", `${UNKNOWN}:svc`) },
      external: { id: EXTERNAL, name: "external (not in the sweep config)", callerPrincipalId: stableUniqueId("AIDA", `${EXTERNAL}:svc`) },
    },
    users, roles, instances, functions, samlProviders, oidcProviders,
    ssoUsers: ["jane@example.com", "omar@example.com", "li.wei@example.com", "sofia@example.com", "tom@example.com"].map((e, i) => ssoUser(e, i)),
    oktaUsers: ["priya@example.com", "marcus@example.com", "yuki@example.com"].map((e, i) => ssoUser(e, 10 + i)),
    identityStoreArn: `arn:aws:identitystore::${MANAGEMENT}:identitystore/${identityStoreId}`,
    ssoInstanceHex,
    githubRepos: ["example-org/payments-api", "example-org/infra", "example-org/web-frontend", "example-org/data-pipeline"],
    buckets: [
      { accountId: PROD, region: US_EAST_1, name: "example-prod-assets" },
      { accountId: PROD, region: EU_WEST_1, name: "example-prod-customer-exports" },
      { accountId: PROD, region: AP_SOUTHEAST_2, name: "example-prod-apse2-media" },
      { accountId: DEV, region: US_EAST_1, name: "example-dev-artifacts" },
      { accountId: DEV, region: EU_WEST_1, name: "example-dev-scratch" },
      { accountId: SECURITY, region: US_EAST_1, name: "example-security-findings" },
      { accountId: IDENTITY, region: US_EAST_1, name: "example-identity-reports" },
      { accountId: MANAGEMENT, region: US_EAST_1, name: "example-org-billing-reports" },
    ],
    ips,
  };
}

/** A role in an account outside the org (its logs are not in the corpus), shaped like the org's own. */
export function outsideRole(accountId: string, name: string, path = "/"): IamRole {
  return makeRole(accountId, name, "human", path);
}

export function findRole(org: OrgModel, accountId: string, name: string): IamRole {
  const found = org.roles.find((r) => r.accountId === accountId && r.name === name);
  if (!found) throw new Error(`no role ${name} in ${accountId}`);
  return found;
}

export function findUser(org: OrgModel, accountId: string, name: string): IamUser {
  const found = org.users.find((u) => u.accountId === accountId && u.name === name);
  if (!found) throw new Error(`no user ${name} in ${accountId}`);
  return found;
}

export function samlProviderFor(org: OrgModel, accountId: string, kind: "okta" | "sso"): SamlProvider {
  const found = org.samlProviders.find((p) => p.accountId === accountId && (kind === "okta" ? p.name === "Okta" : p.name.startsWith("AWSSSO_")));
  if (!found) throw new Error(`no ${kind} SAML provider in ${accountId}`);
  return found;
}

export function oidcProviderFor(org: OrgModel, accountId: string): OidcProvider {
  const found = org.oidcProviders.find((p) => p.accountId === accountId);
  if (!found) throw new Error(`no OIDC provider in ${accountId}`);
  return found;
}

/** The ARN a role session gets: the role's IAM path is dropped. */
export function sessionArnOf(role: IamRole, sessionName: string): string {
  return `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
}
