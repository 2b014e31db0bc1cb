import { afterEach, describe, expect, it } from "vitest";
import { createAwsAccess } from "../../../src/sources/aws/create-aws-access.js";
import { startFakeStsServer, type FakeStsServer } from "../../helpers/fake-sts-server.js";
import { isolateAwsEnv, type IsolatedAwsEnv } from "./isolated-aws-env.js";

const CREDENTIALS = `
[default]
aws_access_key_id = AKIABASE000000000001
aws_secret_access_key = base-secret

[ir-a]
aws_access_key_id = AKIAPROFILEA00000001
aws_secret_access_key = secret-a

[ir-b]
aws_access_key_id = AKIAPROFILEB00000001
aws_secret_access_key = secret-b
`;

const IDENTITIES = {
  AKIABASE000000000001: { account: "111111111111", arn: "arn:aws:iam::111111111111:user/responder" },
  AKIAPROFILEA00000001: { account: "222222222222", arn: "arn:aws:iam::222222222222:user/ir-a" },
  AKIAPROFILEB00000001: { account: "333333333333", arn: "arn:aws:iam::333333333333:user/ir-b" },
};

describe("--account-profile ACCOUNT=PROFILE", () => {
  let env: IsolatedAwsEnv;
  let sts: FakeStsServer;
  afterEach(async () => {
    await sts.close();
    await env.restore();
  });

  it("gives each account its profile's keys and searches the base account plus every profiled one", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startFakeStsServer({ identities: IDENTITIES });
    const access = await createAwsAccess({
      stsEndpointUrl: sts.url,
      accountProfiles: new Map([["222222222222", "ir-a"], ["333333333333", "ir-b"]]),
      env: {},
    });

    const a = await access.credentialsFor("222222222222");
    const b = await access.credentialsFor("333333333333");
    if (!a.ok || !b.ok) throw new Error("expected credentials for both accounts");
    expect(await a.credentials()).toMatchObject({ accessKeyId: "AKIAPROFILEA00000001", secretAccessKey: "secret-a" });
    expect(await b.credentials()).toMatchObject({ accessKeyId: "AKIAPROFILEB00000001", secretAccessKey: "secret-b" });

    expect(await access.defaultAccounts()).toEqual(["111111111111", "222222222222", "333333333333"]);
    expect(await access.defaultAccounts()).toEqual(["111111111111", "222222222222", "333333333333"]);
    // Once per run, signed with the base credentials (the default chain found [default]).
    expect(sts.requests.map((r) => [r.action, r.accessKeyId])).toEqual([["GetCallerIdentity", "AKIABASE000000000001"]]);
  });

  it("uses the base credentials for the base account and says what to give for any other", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startFakeStsServer({ identities: IDENTITIES });
    const access = await createAwsAccess({ stsEndpointUrl: sts.url, accountProfiles: new Map([["222222222222", "ir-a"]]), env: {} });

    const base = await access.credentialsFor("111111111111");
    expect(base.ok && base.credentials).toBe(access.baseCredentials);
    expect(await access.credentialsFor("444444444444")).toEqual({
      ok: false,
      reason: "no credentials for account 444444444444: give --account-profile 444444444444=PROFILE or --assume-role",
    });
    expect(await access.credentialsFor("not-an-account")).toMatchObject({ ok: false });
  });

  it("reports a profile that does not exist as that account's gap, on one line", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startFakeStsServer({ identities: IDENTITIES });
    const access = await createAwsAccess({ stsEndpointUrl: sts.url, accountProfiles: new Map([["555555555555", "ir-typo"]]), env: {} });

    const result = await access.credentialsFor("555555555555");
    expect(result).toEqual({
      ok: false,
      reason: 'account 555555555555 (profile ir-typo): AWS profile "ir-typo" was not found, or has no credentials, in the AWS config and credentials files',
    });
  });
});
