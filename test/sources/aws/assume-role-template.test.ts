import { afterEach, describe, expect, it } from "vitest";
import { createAwsAccess, ROLE_SESSION_NAME } from "../../../src/sources/aws/create-aws-access.js";
import { startFakeStsServer, type FakeStsServer } from "../../helpers/fake-sts-server.js";
import { isolateAwsEnv, type IsolatedAwsEnv } from "./isolated-aws-env.js";

const TEMPLATE = "arn:aws:iam::{accountId}:role/IncidentResponseReadOnly";
const ROLE_222 = "arn:aws:iam::222222222222:role/IncidentResponseReadOnly";
const ROLE_333 = "arn:aws:iam::333333333333:role/IncidentResponseReadOnly";

const CREDENTIALS = `
[default]
aws_access_key_id = AKIABASE000000000001
aws_secret_access_key = base-secret
`;

async function startSts(): Promise<FakeStsServer> {
  return startFakeStsServer({
    identities: { AKIABASE000000000001: { account: "111111111111", arn: "arn:aws:iam::111111111111:user/responder" } },
    roles: { [ROLE_222]: {} },
  });
}

describe("--assume-role template", () => {
  let env: IsolatedAwsEnv;
  let sts: FakeStsServer;
  afterEach(async () => {
    await sts.close();
    await env.restore();
  });

  it("assumes the account's role through STS from the base credentials, once", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startSts();
    const access = await createAwsAccess({ stsEndpointUrl: sts.url, assumeRoleTemplate: TEMPLATE, env: {} });

    const result = await access.credentialsFor("222222222222");
    if (!result.ok) throw new Error(result.reason);
    const issued = sts.issued[0]!;
    expect(await result.credentials()).toMatchObject({ accessKeyId: issued.accessKeyId, sessionToken: issued.sessionToken });
    await access.credentialsFor("222222222222");
    await result.credentials();

    const assumeRoles = sts.requests.filter((r) => r.action === "AssumeRole");
    expect(assumeRoles).toHaveLength(1);
    expect(assumeRoles[0]).toMatchObject({
      accessKeyId: "AKIABASE000000000001",
      params: { RoleArn: ROLE_222, RoleSessionName: ROLE_SESSION_NAME, Version: "2011-06-15" },
      status: 200,
    });
    // The base account is the caller's own; no role is assumed for it.
    const base = await access.credentialsFor("111111111111");
    expect(base.ok && base.credentials).toBe(access.baseCredentials);
    expect(sts.requests.filter((r) => r.action === "AssumeRole")).toHaveLength(1);
  });

  it("gives a denied role as a one-line reason naming the role", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startSts();
    const access = await createAwsAccess({ stsEndpointUrl: sts.url, assumeRoleTemplate: TEMPLATE, env: {} });

    const result = await access.credentialsFor("333333333333");
    expect(result).toEqual({
      ok: false,
      reason: `account 333333333333: sts:AssumeRole was denied for role ${ROLE_333} to arn:aws:iam::111111111111:user/responder: the role's trust policy or the caller's permissions do not allow it`,
    });
    expect(sts.requests.find((r) => r.action === "AssumeRole")?.params["RoleArn"]).toBe(ROLE_333);
  });

  it("takes the STS endpoint from AWS_ENDPOINT_URL_STS in options.env", async () => {
    env = await isolateAwsEnv({ credentials: CREDENTIALS });
    sts = await startSts();
    const access = await createAwsAccess({ assumeRoleTemplate: TEMPLATE, env: { AWS_ENDPOINT_URL_STS: sts.url } });

    expect((await access.credentialsFor("222222222222")).ok).toBe(true);
    expect(await access.defaultAccounts()).toEqual(["111111111111"]);
    expect(sts.requests.map((r) => r.action)).toEqual(["GetCallerIdentity", "AssumeRole"]);
  });

  // A fact about the SDK, not our code: with no endpoint passed in, the SDK's STS clients
  // (fromTemporaryCredentials' and client-sts's) read AWS_ENDPOINT_URL_STS from process.env.
  it("reaches STS through AWS_ENDPOINT_URL_STS in process.env when nothing is passed in", async () => {
    sts = await startSts();
    env = await isolateAwsEnv({ credentials: CREDENTIALS }, { AWS_ENDPOINT_URL_STS: sts.url });
    const access = await createAwsAccess({ assumeRoleTemplate: TEMPLATE, env: {} });

    expect((await access.credentialsFor("222222222222")).ok).toBe(true);
    expect(sts.requests.map((r) => r.action)).toEqual(["GetCallerIdentity", "AssumeRole"]);
  });
});
