import { describe, expect, it } from "vitest";
import { normalizeRecord, type CloudTrailEvent } from "../../src/core/cloudtrail-event.js";
import {
  arnAccountId, issuedAccessKeyId, issuedSessionArn, parseAssumedRoleArn, parseFederatedUserArn, sessionArnFor,
} from "../../src/core/issuing-events.js";
import {
  assumeRoleEvent, awsServiceIdentity, getFederationTokenEvent, iamUserIdentity, longTermKey, tempKey, uuid as id,
} from "../helpers/cloudtrail-records.js";

function event(raw: unknown): CloudTrailEvent {
  const result = normalizeRecord(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

const T0 = "2026-11-16T10:15:00Z";

describe("sessionArnFor", () => {
  it.each([
    ["no path", "arn:aws:iam::444455556666:role/Admin", "alice", "arn:aws:sts::444455556666:assumed-role/Admin/alice"],
    ["the role's IAM path is dropped", "arn:aws:iam::444455556666:role/team/ops/Admin", "alice", "arn:aws:sts::444455556666:assumed-role/Admin/alice"],
    [
      "Identity Center path aws-reserved/sso.amazonaws.com/<region>/",
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
      "jane@example.com",
      "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com",
    ],
    ["another partition", "arn:aws-cn:iam::444455556666:role/Admin", "i-0123456789abcdef0", "arn:aws-cn:sts::444455556666:assumed-role/Admin/i-0123456789abcdef0"],
  ])("%s", (_label, roleArn, session, expected) => {
    expect(sessionArnFor(roleArn, session)).toBe(expected);
  });

  it.each([
    ["a user ARN", "arn:aws:iam::444455556666:user/alice"],
    ["a session ARN", "arn:aws:sts::444455556666:assumed-role/Admin/alice"],
    ["a non-numeric account", "arn:aws:iam::aws:role/Admin"],
    ["garbage", "Admin"],
  ])("not a role ARN (%s) → null", (_label, arn) => {
    expect(sessionArnFor(arn, "alice")).toBeNull();
  });

  it("keeps anonymised account ids of other lengths (public samples use 10 digits)", () => {
    expect(sessionArnFor("arn:aws:iam::1111111111:role/user", "session-name")).toBe("arn:aws:sts::1111111111:assumed-role/user/session-name");
  });
});

describe("issuedSessionArn / issuedAccessKeyId", () => {
  const session = {
    roleArn: "arn:aws:iam::444455556666:role/service-role/web-server-role", sessionName: "i-0123456789abcdef0",
    accessKeyId: tempKey("ec2"), issuedAt: T0,
  };

  it("AssumeRole: assumedRoleUser.arn and credentials.accessKeyId", () => {
    const e = event(assumeRoleEvent({
      caller: iamUserIdentity({ accountId: "444455556666", userName: "alice", accessKeyId: longTermKey("alice") }),
      session: { ...session, roleArn: "arn:aws:iam::444455556666:role/Admin", sessionName: "alice" }, eventID: id("a"),
    }));
    expect(issuedSessionArn(e)).toBe("arn:aws:sts::444455556666:assumed-role/Admin/alice");
    expect(issuedAccessKeyId(e)).toBe(tempKey("ec2"));
  });

  it("service-assumed AssumeRole with credentials only: derived from roleArn + roleSessionName, path dropped", () => {
    const e = event(assumeRoleEvent({ caller: awsServiceIdentity("ec2.amazonaws.com"), session, eventID: id("b"), omitAssumedRoleUser: true }));
    expect(e.responseElements).not.toHaveProperty("assumedRoleUser");
    expect(issuedSessionArn(e)).toBe("arn:aws:sts::444455556666:assumed-role/web-server-role/i-0123456789abcdef0");
  });

  it("GetFederationToken: federatedUser.arn", () => {
    const e = event(getFederationTokenEvent({
      caller: iamUserIdentity({ accountId: "444455556666", userName: "ci-bot", accessKeyId: longTermKey("ci-bot") }),
      session: { accountId: "444455556666", name: "contractor", accessKeyId: tempKey("fed"), issuedAt: T0, issuer: { userName: "ci-bot" } },
      eventID: id("c"),
    }));
    expect(issuedSessionArn(e)).toBe("arn:aws:sts::444455556666:federated-user/contractor");
    expect(issuedAccessKeyId(e)).toBe(tempKey("fed"));
  });

  it("a failed call (requestParameters and responseElements null) issued nothing", () => {
    const raw = assumeRoleEvent({
      caller: iamUserIdentity({ accountId: "444455556666", userName: "alice", accessKeyId: longTermKey("alice") }),
      session, eventID: id("d"), errorCode: "AccessDenied",
    });
    raw.requestParameters = null;
    const e = event(raw);
    expect(issuedSessionArn(e)).toBeNull();
    expect(issuedAccessKeyId(e)).toBeNull();
  });

  it("responseElements as a JSON string (Athena/SIEM exports) reads the same", () => {
    const raw = assumeRoleEvent({ caller: awsServiceIdentity("ec2.amazonaws.com"), session, eventID: id("e") });
    raw.responseElements = JSON.stringify(raw.responseElements);
    raw.requestParameters = JSON.stringify(raw.requestParameters);
    const e = event(raw);
    expect(issuedSessionArn(e)).toBe("arn:aws:sts::444455556666:assumed-role/web-server-role/i-0123456789abcdef0");
    expect(issuedAccessKeyId(e)).toBe(tempKey("ec2"));
  });
});

describe("ARN parsing", () => {
  it("assumed-role ARNs, session names with @ and = and ,", () => {
    expect(parseAssumedRoleArn("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/jane=doe,x@example.com")).toEqual({
      partition: "aws", accountId: "111122223333", roleName: "AWSReservedSSO_Admin_0123", sessionName: "jane=doe,x@example.com",
    });
    expect(parseAssumedRoleArn("arn:aws:iam::111122223333:user/jane")).toBeNull();
    expect(parseAssumedRoleArn(null)).toBeNull();
  });

  it("federated-user ARNs", () => {
    expect(parseFederatedUserArn("arn:aws:sts::742491224508:federated-user/stratus_red_team")).toEqual({
      accountId: "742491224508", userName: "stratus_red_team",
    });
  });

  it("arnAccountId: the 12-digit fifth field, else null", () => {
    expect(arnAccountId("arn:aws:iam::111122223333:root")).toBe("111122223333");
    expect(arnAccountId("arn:aws:iam::aws:policy/AdministratorAccess")).toBeNull();
    expect(arnAccountId("arn:aws:s3:::bucket")).toBeNull();
    expect(arnAccountId(null)).toBeNull();
    // The fifth field wherever the colons are: as split(":")[4] reads it.
    for (const arn of ["arn:aws:sts::111122223333:assumed-role/r/s", "arn:aws:iam::111122223333", "arn:aws:iam::", "arn:aws:iam:",
      "a:b:c:d:123:e:f", "::::42", "::::", "arn", "", "arn:aws:iam::12a:root", "arn:aws:iam:::root"]) {
      const field = arn.split(":")[4];
      expect(arnAccountId(arn), arn).toBe(field && /^\d+$/.test(field) ? field : null);
    }
    expect(arnAccountId("a:b:c:d:123:e:f")).toBe("123");
    expect(arnAccountId("arn:aws:iam::111122223333")).toBe("111122223333");
  });
});
