import { afterEach, describe, expect, it } from "vitest";
import { createAwsAccess, describeCredentialError } from "../../../src/sources/aws/create-aws-access.js";
import { startFakeStsServer, type FakeStsServer } from "../../helpers/fake-sts-server.js";
import { isolateAwsEnv, type IsolatedAwsEnv } from "./isolated-aws-env.js";

const NO_CREDENTIALS =
  "no AWS credentials found: give --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role is available";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error("expected a rejection"); }, (error: unknown) => error);
}

describe("credentials that do not work", () => {
  let env: IsolatedAwsEnv;
  let sts: FakeStsServer | null = null;
  afterEach(async () => {
    await sts?.close();
    sts = null;
    await env.restore();
  });

  it("none at all: one clear line, from the credentials and from every account", async () => {
    env = await isolateAwsEnv();
    const access = await createAwsAccess({ assumeRoleTemplate: "arn:aws:iam::{accountId}:role/IR", env: {} });

    expect(describeCredentialError(await rejection(access.baseCredentials()))).toBe(NO_CREDENTIALS);
    expect(await access.credentialsFor("222222222222")).toEqual({
      ok: false,
      reason: `account 222222222222: cannot assume arn:aws:iam::222222222222:role/IR: ${NO_CREDENTIALS}`,
    });
    const error = await rejection(access.defaultAccounts());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`cannot tell which AWS account to search: ${NO_CREDENTIALS}`);
  });

  it("a --profile that is not in the files", async () => {
    env = await isolateAwsEnv({ config: "[profile other]\nregion = eu-west-1\n" });
    const access = await createAwsAccess({ profile: "typo", env: {} });

    expect(describeCredentialError(await rejection(access.baseCredentials()))).toBe(
      'AWS profile "typo" was not found, or has no credentials, in the AWS config and credentials files',
    );
  });

  it("expired and unknown keys, as STS reports them", async () => {
    env = await isolateAwsEnv({
      credentials: [
        "[expired]", "aws_access_key_id = ASIAEXPIRED000000001", "aws_secret_access_key = s", "aws_session_token = t",
        "[unknown]", "aws_access_key_id = AKIAUNKNOWN000000001", "aws_secret_access_key = s",
      ].join("\n"),
    });
    sts = await startFakeStsServer({
      identities: { ASIAEXPIRED000000001: { account: "111111111111", arn: "arn:aws:iam::111111111111:user/a" } },
      expiredAccessKeys: ["ASIAEXPIRED000000001"],
    });
    const expired = await createAwsAccess({ profile: "expired", stsEndpointUrl: sts.url, env: {} });
    const unknown = await createAwsAccess({ profile: "unknown", stsEndpointUrl: sts.url, env: {} });

    const expiredBase = await expired.baseAccount();
    const unknownBase = await unknown.baseAccount();
    expect(expiredBase).toEqual({
      ok: false,
      reason: "the AWS credentials have expired (ExpiredToken): get fresh ones (a new session, aws sso login) and run again",
    });
    expect(unknownBase).toEqual({
      ok: false,
      reason: "AWS does not recognise the access key (InvalidClientTokenId): it is mistyped, deleted or deactivated",
    });
    expect(await unknown.credentialsFor("111111111111")).toEqual({
      ok: false,
      reason: `no credentials for account 111111111111: give --account-profile 111111111111=PROFILE or --assume-role (and the base credentials' own account is unknown: ${unknownBase.ok ? "" : unknownBase.reason})`,
    });
  });

  it("describes nothing it does not recognise", () => {
    expect(describeCredentialError(new Error("socket hang up"))).toBeNull();
    expect(describeCredentialError("not an error")).toBeNull();
  });
});
