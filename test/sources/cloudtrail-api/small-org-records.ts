import {
  apiCall, apiCallBySession, assumeRoleEvent, crossAccountAssumeRole, iamUserIdentity, longTermKey, tempKey, uuid,
  type RawRecord, type RoleSession,
} from "../../helpers/cloudtrail-records.js";

/** Accounts of the small organisation the LookupEvents source tests use. */
export const ACCOUNT_A = "111111111111";
export const ACCOUNT_B = "222222222222";
export const ISSUED_AT = "2026-11-17T09:00:00Z";
export const NOW_MS = Date.parse("2026-11-18T00:00:00Z");

const alice = iamUserIdentity({ accountId: ACCOUNT_A, userName: "alice", accessKeyId: longTermKey("alice") });
const aliceAdmin: RoleSession = { roleArn: `arn:aws:iam::${ACCOUNT_A}:role/admin`, sessionName: "alice", accessKeyId: tempKey("alice-admin"), issuedAt: ISSUED_AT };
const bobInB = iamUserIdentity({ accountId: ACCOUNT_B, userName: "bob", accessKeyId: longTermKey("bob") });
const bobDeploy: RoleSession = { roleArn: `arn:aws:iam::${ACCOUNT_A}:role/deploy`, sessionName: "bob", accessKeyId: tempKey("bob-deploy"), issuedAt: ISSUED_AT };
const carolAudit: RoleSession = { roleArn: `arn:aws:iam::${ACCOUNT_B}:role/audit`, sessionName: "carol", accessKeyId: tempKey("carol-audit"), issuedAt: ISSUED_AT };

/** alice (IAM user in A) assumes admin in A in us-east-1 and uses it in eu-west-1: a one-hop chain in one account. */
export const sameAccountChain = {
  subjectEventId: uuid("alice-subject"),
  records: [
    assumeRoleEvent({ caller: alice, session: aliceAdmin, eventID: uuid("alice-assume") }),
    apiCallBySession({ session: aliceAdmin, eventID: uuid("alice-subject"), eventTime: "2026-11-17T09:05:00Z", awsRegion: "eu-west-1" }),
  ] as RawRecord[],
};

/** bob (IAM user in B) assumes deploy in A; A holds the owner copy, B the caller copy. */
const bobCopies = crossAccountAssumeRole({
  caller: bobInB, session: bobDeploy, ownerEventID: uuid("bob-owner"), callerEventID: uuid("bob-caller"), sharedEventID: uuid("bob-shared"),
});
export const crossAccountChain = {
  subjectEventId: uuid("bob-subject"),
  records: [
    bobCopies.ownerCopy, bobCopies.callerCopy,
    apiCallBySession({ session: bobDeploy, eventID: uuid("bob-subject"), eventTime: "2026-11-17T09:06:00Z" }),
  ] as RawRecord[],
};

/** A session of B's audit role, seen in A's logs (a cross-account resource call); its AssumeRole is in B only. */
export const issuerInOtherAccount = {
  subjectEventId: uuid("carol-subject"),
  records: [
    assumeRoleEvent({ caller: iamUserIdentity({ accountId: ACCOUNT_B, userName: "carol", accessKeyId: longTermKey("carol") }), session: carolAudit, eventID: uuid("carol-assume") }),
    apiCallBySession({ session: carolAudit, eventID: uuid("carol-subject"), eventTime: "2026-11-17T09:07:00Z", recipientAccountId: ACCOUNT_A }),
  ] as RawRecord[],
};

/** `count` management events in A, us-east-1, one second apart from 2026-11-17T10:00:00Z. */
export function manyEvents(count: number, eventName = "DescribeInstances"): RawRecord[] {
  return Array.from({ length: count }, (_, i) => apiCall({
    identity: alice, eventID: uuid(`many-${eventName}-${i}`), eventTime: new Date(Date.parse("2026-11-17T10:00:00Z") + i * 1000).toISOString().replace(".000Z", "Z"),
    recipientAccountId: ACCOUNT_A, eventSource: "ec2.amazonaws.com", eventName,
  }));
}
