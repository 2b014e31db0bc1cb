/**
 * AssumeRole records for the crossAccountOnly / roleNames pushdown tests of the SQL sources (shapes as
 * test/core/event-query.test.ts): a same-account assumption, both copies of a cross-account one (the
 * owner copy with an AWSAccount caller), an AWS service caller (no account), a record without
 * roleArn, and a same-account assumption of a pathed role.
 */
import {
  assumeRoleEvent, awsServiceIdentity, crossAccountAssumeRole, iamUserIdentity, longTermKey, tempKey, uuid, type RawRecord,
} from "./cloudtrail-records.js";

export const CALLER_ACCOUNT = "111111111111";
export const ROLE_ACCOUNT = "222222222222";
export const AT = "2026-11-16T10:00:00Z";
/** A second instant, for the edge records kept apart from the main scenario. */
export const EDGE_AT = "2026-11-16T11:00:00Z";

const caller = iamUserIdentity({ accountId: CALLER_ACCOUNT, userName: "alice", accessKeyId: longTermKey("alice") });
const session = (roleArn: string, name: string, issuedAt = AT) => ({ roleArn, sessionName: name, accessKeyId: tempKey(name), issuedAt });

const sameAccount = assumeRoleEvent({ caller, session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/Admin`, "same"), eventID: uuid("same") });
const { callerCopy, ownerCopy } = crossAccountAssumeRole({
  caller, session: session(`arn:aws:iam::${ROLE_ACCOUNT}:role/Admin`, "cross"),
  callerEventID: uuid("caller-copy"), ownerEventID: uuid("owner-copy"), sharedEventID: uuid("shared"),
});
const service = assumeRoleEvent({
  caller: awsServiceIdentity("lambda.amazonaws.com"), session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/Lambda`, "service"),
  eventID: uuid("service"), omitAssumedRoleUser: true,
});
const noRole = withoutRoleArn(assumeRoleEvent({ caller, session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/Gone`, "norole"), eventID: uuid("no-role") }));
const pathed = assumeRoleEvent({ caller, session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/ops/team/DeployRole`, "pathed"), eventID: uuid("pathed") });

export const PUSHDOWN_RECORDS: RawRecord[] = [sameAccount, callerCopy, ownerCopy, service, noRole, pathed];
export const ID = {
  sameAccount: uuid("same"), callerCopy: uuid("caller-copy"), ownerCopy: uuid("owner-copy"), service: uuid("service"),
  noRole: uuid("no-role"), pathed: uuid("pathed"),
};
/** What crossAccountOnly keeps of PUSHDOWN_RECORDS: everything but the two same-account assumptions. */
export const NOT_SAME_ACCOUNT_IDS = [ID.callerCopy, ID.ownerCopy, ID.service, ID.noRole].sort();

/**
 * Edge records at EDGE_AT, all kept by crossAccountOnly: a roleArn with no account field (split_part
 * past the end: NULL in Trino, '' in DuckDB) from a caller whose accountId is "", and a roleArn whose
 * account field is not digits but equals the caller's accountId.
 */
export const EDGE_RECORDS: RawRecord[] = [
  withRoleArn(assumeRoleEvent({
    caller: { type: "AWSAccount", principalId: "AIDAEDGE", accountId: "" }, session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/x`, "edge-empty", EDGE_AT),
    eventID: uuid("edge-empty"), recipientAccountId: CALLER_ACCOUNT,
  }), "garbage"),
  withRoleArn(assumeRoleEvent({
    caller: { type: "AWSAccount", principalId: "AIDAEDGE", accountId: "ANONYMOUS_PRINCIPAL" },
    session: session(`arn:aws:iam::${CALLER_ACCOUNT}:role/x`, "edge-anon", EDGE_AT), eventID: uuid("edge-anon"), recipientAccountId: CALLER_ACCOUNT,
  }), "arn:aws:iam::ANONYMOUS_PRINCIPAL:role/x"),
];
export const EDGE_IDS = [uuid("edge-empty"), uuid("edge-anon")].sort();

function withRoleArn(record: RawRecord, roleArn: string): RawRecord {
  return { ...record, requestParameters: { ...(record.requestParameters as Record<string, unknown>), roleArn } };
}

function withoutRoleArn(record: RawRecord): RawRecord {
  const { roleArn: _dropped, ...rest } = record.requestParameters as Record<string, unknown>;
  return { ...record, requestParameters: rest };
}
