import { afterEach, describe, expect, it } from "vitest";
import { createAwsAccess } from "../../../src/sources/aws/create-aws-access.js";
import { isolateAwsEnv, type IsolatedAwsEnv } from "./isolated-aws-env.js";

const CONFIG = `
[default]
region = eu-west-1

[profile ir]
region = eu-central-1
`;

describe("the run's region", () => {
  let env: IsolatedAwsEnv;
  afterEach(() => env.restore());

  it("is --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's, else us-east-1", async () => {
    env = await isolateAwsEnv({ config: CONFIG });
    const regionOf = async (options: Parameters<typeof createAwsAccess>[0]) => (await createAwsAccess(options)).region;

    expect(await regionOf({ region: "ap-south-1", profile: "ir", env: { AWS_REGION: "sa-east-1" } })).toBe("ap-south-1");
    expect(await regionOf({ profile: "ir", env: { AWS_REGION: "sa-east-1", AWS_DEFAULT_REGION: "ca-central-1" } })).toBe("sa-east-1");
    expect(await regionOf({ profile: "ir", env: { AWS_DEFAULT_REGION: "ca-central-1" } })).toBe("ca-central-1");
    expect(await regionOf({ profile: "ir", env: {} })).toBe("eu-central-1");
    expect(await regionOf({ env: { AWS_PROFILE: "ir" } })).toBe("eu-central-1");
    expect(await regionOf({ env: {} })).toBe("eu-west-1");
    expect(await regionOf({ profile: "no-region", env: {} })).toBe("us-east-1");
  });

  it("keeps --endpoint-url for S3 and CloudTrail clients, null without it", async () => {
    env = await isolateAwsEnv();
    expect((await createAwsAccess({ endpointUrl: "http://127.0.0.1:4568", env: {} })).endpointUrl).toBe("http://127.0.0.1:4568");
    expect((await createAwsAccess({ env: {} })).endpointUrl).toBeNull();
  });
});
