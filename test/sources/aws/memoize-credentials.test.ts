import type { AwsCredentialIdentity } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { memoizeCredentials } from "../../../src/sources/aws/memoize-credentials.js";

describe("memoizeCredentials", () => {
  it("resolves once while the credentials are good, and keeps a failure", async () => {
    let calls = 0;
    const good = memoizeCredentials(async () => ({ accessKeyId: `K${++calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + 3600_000) }));
    expect((await Promise.all([good(), good()])).map((c) => c.accessKeyId)).toEqual(["K1", "K1"]);
    expect((await good()).accessKeyId).toBe("K1");

    let failures = 0;
    const failing = memoizeCredentials(async (): Promise<AwsCredentialIdentity> => { failures += 1; throw new Error("denied"); });
    await expect(failing()).rejects.toThrow("denied");
    await expect(failing()).rejects.toThrow("denied");
    expect(failures).toBe(1);
  });

  it("fetches again when the credentials expire within five minutes", async () => {
    let calls = 0;
    const soon = memoizeCredentials(async () => ({ accessKeyId: `K${++calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + 60_000) }));
    expect((await soon()).accessKeyId).toBe("K1");
    expect((await soon()).accessKeyId).toBe("K2");
  });
});
