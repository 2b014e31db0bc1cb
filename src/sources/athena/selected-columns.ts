import type { AthenaTableSpec, OptionalColumn } from "./athena-table-spec.js";

/**
 * One output column: the Athena expression read, the alias it comes back under, and where its
 * value goes in the rebuilt CloudTrail record. Only what normalizeRecord reads is selected: Athena
 * bills by bytes scanned per column for columnar tables, and results travel as strings.
 */
export interface SelectedColumn {
  alias: string;
  expression: string;
  /** Path in the CloudTrail record (CloudTrail's own camelCase names). */
  recordPath: readonly string[];
}

const ui = "useridentity";
const sc = `${ui}.sessioncontext`;

const BASE_COLUMNS: readonly SelectedColumn[] = [
  column("eventid", "eventid", ["eventID"]),
  column("eventname", "eventname", ["eventName"]),
  column("eventsource", "eventsource", ["eventSource"]),
  column("eventtime", "eventtime", ["eventTime"]),
  column("eventtype", "eventtype", ["eventType"]),
  column("awsregion", "awsregion", ["awsRegion"]),
  column("recipientaccountid", "recipientaccountid", ["recipientAccountId"]),
  column("sourceipaddress", "sourceipaddress", ["sourceIPAddress"]),
  column("useragent", "useragent", ["userAgent"]),
  column("sharedeventid", "sharedeventid", ["sharedEventID"]),
  column("requestid", "requestid", ["requestID"]),
  column("errorcode", "errorcode", ["errorCode"]),
  // JSON text columns in the DDL: normalizeRecord parses JSON strings itself.
  column("requestparameters", "requestparameters", ["requestParameters"]),
  column("responseelements", "responseelements", ["responseElements"]),
  column("additionaleventdata", "additionaleventdata", ["additionalEventData"]),
  column("sessioncredentialfromconsole", "sessioncredentialfromconsole", ["sessionCredentialFromConsole"]),
  column("ui_type", `${ui}.type`, ["userIdentity", "type"]),
  column("ui_principalid", `${ui}.principalid`, ["userIdentity", "principalId"]),
  column("ui_arn", `${ui}.arn`, ["userIdentity", "arn"]),
  column("ui_accountid", `${ui}.accountid`, ["userIdentity", "accountId"]),
  column("ui_accesskeyid", `${ui}.accesskeyid`, ["userIdentity", "accessKeyId"]),
  column("ui_username", `${ui}.username`, ["userIdentity", "userName"]),
  column("ui_invokedby", `${ui}.invokedby`, ["userIdentity", "invokedBy"]),
  column("ui_obo_userid", `${ui}.onbehalfof.userid`, ["userIdentity", "onBehalfOf", "userId"]),
  column("ui_obo_identitystorearn", `${ui}.onbehalfof.identitystorearn`, ["userIdentity", "onBehalfOf", "identityStoreArn"]),
  column("sc_creationdate", `${sc}.attributes.creationdate`, ["userIdentity", "sessionContext", "attributes", "creationDate"]),
  column("sc_mfaauthenticated", `${sc}.attributes.mfaauthenticated`, ["userIdentity", "sessionContext", "attributes", "mfaAuthenticated"]),
  column("si_type", `${sc}.sessionissuer.type`, ["userIdentity", "sessionContext", "sessionIssuer", "type"]),
  column("si_principalid", `${sc}.sessionissuer.principalid`, ["userIdentity", "sessionContext", "sessionIssuer", "principalId"]),
  column("si_arn", `${sc}.sessionissuer.arn`, ["userIdentity", "sessionContext", "sessionIssuer", "arn"]),
  column("si_accountid", `${sc}.sessionissuer.accountid`, ["userIdentity", "sessionContext", "sessionIssuer", "accountId"]),
  column("si_username", `${sc}.sessionissuer.username`, ["userIdentity", "sessionContext", "sessionIssuer", "userName"]),
  column("sc_federatedprovider", `${sc}.webidfederationdata.federatedprovider`, ["userIdentity", "sessionContext", "webIdFederationData", "federatedProvider"]),
];

/** Columns outside AWS's DDL that the tracer reads when the table has them. */
const OPTIONAL: Partial<Record<OptionalColumn, SelectedColumn>> = {
  sourceidentity: column("sc_sourceidentity", `${sc}.sourceidentity`, ["userIdentity", "sessionContext", "sourceIdentity"]),
  identityprovider: column("ui_identityprovider", `${ui}.identityprovider`, ["userIdentity", "identityProvider"]),
};

/** Alias of the account partition column, when the table has one: the account the storage says. */
export const PARTITION_ACCOUNT_ALIAS = "partition_account";

export function selectedColumns(spec: AthenaTableSpec): SelectedColumn[] {
  const optional = (spec.optionalColumns ?? []).flatMap((c) => OPTIONAL[c] ?? []);
  const partitionAccount = spec.partitioning.kind !== "none" && spec.partitioning.accountColumn
    ? [column(PARTITION_ACCOUNT_ALIAS, `"${spec.partitioning.accountColumn}"`, [])]
    : [];
  return [...BASE_COLUMNS, ...optional, ...partitionAccount];
}

function column(alias: string, expression: string, recordPath: readonly string[]): SelectedColumn {
  return { alias, expression, recordPath };
}
