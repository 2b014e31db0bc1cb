import { describe, expect, it } from "vitest";
import { parseAccountProfiles } from "../../../src/sources/aws/account-profile-flag.js";
import { roleArnForAccount, validateAssumeRoleTemplate } from "../../../src/sources/aws/assume-role-template.js";

describe("parseAccountProfiles", () => {
  it("maps each account id to its profile", () => {
    expect(parseAccountProfiles(["222222222222=ir-prod", " 333333333333 = ir-dev "])).toEqual(
      new Map([["222222222222", "ir-prod"], ["333333333333", "ir-dev"]]),
    );
    expect(parseAccountProfiles(["222222222222=a", "222222222222=a"]).size).toBe(1);
  });

  it.each([
    ["ir-prod", 'expected ACCOUNT=PROFILE'],
    ["222222222222=", "expected ACCOUNT=PROFILE"],
    ["2222=ir-prod", "the account id must be 12 digits"],
    ["prod=ir-prod", "expected ACCOUNT=PROFILE"],
  ])("rejects %j on one line naming it", (value, why) => {
    expect(() => parseAccountProfiles([value])).toThrow(`--account-profile ${JSON.stringify(value)}: ${why}`);
  });

  it("rejects one account given two profiles", () => {
    expect(() => parseAccountProfiles(["222222222222=a", "222222222222=b"])).toThrow("account 222222222222 already has profile a");
  });
});

describe("validateAssumeRoleTemplate", () => {
  it.each([
    "arn:aws:iam::{accountId}:role/IncidentResponseReadOnly",
    "arn:aws:iam::{accountId}:role/security/IncidentResponse",
    "arn:aws-us-gov:iam::{accountId}:role/IR",
  ])("accepts %s", (template) => {
    expect(() => validateAssumeRoleTemplate(template)).not.toThrow();
  });

  it.each([
    ["arn:aws:iam::222222222222:role/IncidentResponseReadOnly", "must contain {accountId}"],
    ["arn:aws:iam::{accountId}:user/alice", "not an IAM role ARN template"],
    ["IncidentResponseReadOnly-{accountId}", "not an IAM role ARN template"],
  ])("rejects %s", (template, why) => {
    expect(() => validateAssumeRoleTemplate(template)).toThrow(why);
  });

  it("puts the account id in", () => {
    expect(roleArnForAccount("arn:aws:iam::{accountId}:role/IR", "222222222222")).toBe("arn:aws:iam::222222222222:role/IR");
  });
});
