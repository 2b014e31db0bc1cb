import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createAwsAccess } from "../../../src/sources/aws/create-aws-access.js";
import { terminalMfaPrompt } from "../../../src/sources/aws/terminal-mfa-prompt.js";
import { startFakeStsServer, type FakeStsServer } from "../../helpers/fake-sts-server.js";
import { isolateAwsEnv, type IsolatedAwsEnv } from "./isolated-aws-env.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";
const PROD_ADMIN_ROLE = "arn:aws:iam::222222222222:role/admin";

// The classic set-up: long-term keys in [base], roles that need MFA assumed from them.
const CONFIG = `
[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = base
mfa_serial = ${SERIAL}

[profile prod-admin]
role_arn = ${PROD_ADMIN_ROLE}
source_profile = base
mfa_serial = ${SERIAL}
`;
const CREDENTIALS = `
[base]
aws_access_key_id = AKIAALICE00000000001
aws_secret_access_key = alice-secret
`;

async function startSts(): Promise<FakeStsServer> {
  return startFakeStsServer({
    identities: { AKIAALICE00000000001: { account: "111111111111", arn: "arn:aws:iam::111111111111:user/alice" } },
    roles: {
      [ADMIN_ROLE]: { mfa: { serialNumber: SERIAL, tokenCode: "123456" } },
      [PROD_ADMIN_ROLE]: { mfa: { serialNumber: SERIAL, tokenCode: "123456" } },
    },
  });
}

function terminal(typed: string) {
  const input = new PassThrough();
  input.write(typed);
  const written: string[] = [];
  return { prompt: terminalMfaPrompt(input, { write: (text: string) => written.push(text) }), written };
}

describe("a profile with mfa_serial", () => {
  let env: IsolatedAwsEnv;
  let sts: FakeStsServer;
  afterEach(async () => {
    await sts.close();
    await env.restore();
  });

  it("asks for the code on the terminal once and sends it with the serial to sts:AssumeRole", async () => {
    env = await isolateAwsEnv({ config: CONFIG, credentials: CREDENTIALS });
    sts = await startSts();
    const { prompt, written } = terminal("123456\n");
    const access = await createAwsAccess({
      profile: "admin",
      accountProfiles: new Map([["222222222222", "prod-admin"]]),
      mfaCodeProvider: prompt,
      stsEndpointUrl: sts.url,
      env: {},
    });

    const base = await access.baseCredentials();
    expect(base.accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    await access.baseCredentials();
    expect(await access.defaultAccounts()).toEqual(["111111111111", "222222222222"]);
    expect((await access.credentialsFor("222222222222")).ok).toBe(true);

    expect(written).toEqual([`MFA code for ${SERIAL}: `, "\n"]);
    const assumeRoles = sts.requests.filter((r) => r.action === "AssumeRole");
    expect(assumeRoles.map((r) => [r.params["RoleArn"], r.params["SerialNumber"], r.params["TokenCode"], r.accessKeyId])).toEqual([
      [ADMIN_ROLE, SERIAL, "123456", "AKIAALICE00000000001"],
      [PROD_ADMIN_ROLE, SERIAL, "123456", "AKIAALICE00000000001"],
    ]);
    // GetCallerIdentity is signed with the assumed admin session, so the base account is the role's.
    expect(sts.requests.find((r) => r.action === "GetCallerIdentity")?.accessKeyId).toBe(sts.issued[0]!.accessKeyId);
  });

  it("gives a wrong code as the account's one-line reason", async () => {
    env = await isolateAwsEnv({ config: CONFIG, credentials: CREDENTIALS });
    sts = await startSts();
    const { prompt } = terminal("654321\n");
    const access = await createAwsAccess({
      accountProfiles: new Map([["222222222222", "prod-admin"]]),
      mfaCodeProvider: prompt,
      stsEndpointUrl: sts.url,
      env: {},
    });

    expect(await access.credentialsFor("222222222222")).toEqual({
      ok: false,
      reason: `account 222222222222 (profile prod-admin): the MFA code was rejected (AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code.)`,
    });
  });

  it("says so when a profile needs a code and nothing can ask for one", async () => {
    env = await isolateAwsEnv({ config: CONFIG, credentials: CREDENTIALS });
    sts = await startSts();
    const access = await createAwsAccess({ accountProfiles: new Map([["222222222222", "prod-admin"]]), stsEndpointUrl: sts.url, env: {} });

    expect(await access.credentialsFor("222222222222")).toEqual({
      ok: false,
      reason: 'account 222222222222 (profile prod-admin): AWS profile "prod-admin" needs an MFA code, and none can be asked for here',
    });
  });

  // A fact about the SDK: fromIni's own nested STS client (source_profile + role_arn, no roleAssumer
  // passed) reads AWS_ENDPOINT_URL_STS from process.env.
  it("reaches STS for role_arn profiles through AWS_ENDPOINT_URL_STS in process.env", async () => {
    sts = await startSts();
    env = await isolateAwsEnv({ config: CONFIG, credentials: CREDENTIALS }, { AWS_ENDPOINT_URL_STS: sts.url });
    const { prompt } = terminal("123456\n");
    const access = await createAwsAccess({ profile: "admin", mfaCodeProvider: prompt, env: {} });

    expect((await access.baseCredentials()).accessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(sts.requests.map((r) => [r.action, r.params["TokenCode"]])).toEqual([["AssumeRole", "123456"]]);
  });
});
