import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../../src/core/cloudtrail-event.js";
import { StringPool } from "../../src/core/string-pool.js";

describe("StringPool", () => {
  it("holds each value once, passes null through, and starts over when full", () => {
    const pool = new StringPool(3);
    expect(pool.intern(null)).toBeNull();
    for (const value of ["a", "b", "a", "c", "b"]) expect(pool.intern(value)).toBe(value);
    expect(pool.size).toBe(3);
    expect(pool.intern("d")).toBe("d");
    expect(pool.size).toBe(1);
    expect(pool.has("a")).toBe(false);
    expect(pool.has("d")).toBe(true);
  });
});

describe("normalizeRecord with a pool", () => {
  const userAgent = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1019-aws";
  const record = (i: number) => ({
    eventID: `e-${i}`, eventName: "AssumeRoleWithWebIdentity", eventSource: "sts.amazonaws.com", awsRegion: "eu-west-1",
    recipientAccountId: "111111111111", sourceIPAddress: "203.0.113.10", userAgent, requestID: `r-${i}`,
    userIdentity: {
      type: "AssumedRole", principalId: "AROAEXAMPLE:alice", arn: "arn:aws:sts::111111111111:assumed-role/Admin/alice",
      accountId: "111111111111", accessKeyId: `ASIA${i}`,
      sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::111111111111:role/Admin", accountId: "111111111111" } },
    },
  });

  it("gives the same event as without one, and pools the repeating fields only", () => {
    const pool = new StringPool();
    for (let i = 0; i < 50; i++) {
      const pooled = normalizeRecord(record(i), null, pool);
      expect(pooled).toEqual(normalizeRecord(record(i)));
    }
    for (const repeated of [userAgent, "203.0.113.10", "eu-west-1", "sts.amazonaws.com", "111111111111", "AssumeRoleWithWebIdentity",
      "AssumedRole", "AROAEXAMPLE:alice", "arn:aws:sts::111111111111:assumed-role/Admin/alice", "arn:aws:iam::111111111111:role/Admin"]) {
      expect(pool.has(repeated), repeated).toBe(true);
    }
    // Values unique to a record (ids, access keys) would only grow the pool.
    expect(pool.has("e-0") || pool.has("r-0") || pool.has("ASIA0")).toBe(false);
    expect(pool.size).toBeLessThan(15);
  });
});
