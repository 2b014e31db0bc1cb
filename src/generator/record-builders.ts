import type { JsonObject } from "./identities.js";
import { isoSeconds } from "./time-format.js";

export interface ResourceRef {
  accountId?: string;
  type: string;
  ARN: string;
}

/** Everything a CloudTrail record can carry; buildRecord lays it out in CloudTrail's field order. */
export interface RecordFields {
  eventVersion?: string;
  userIdentity: JsonObject;
  time: number;
  eventSource: string;
  eventName: string;
  region: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: unknown;
  requestID?: string | null;
  eventID: string;
  readOnly?: boolean;
  resources?: ResourceRef[];
  eventType?: "AwsApiCall" | "AwsConsoleSignIn" | "AwsServiceEvent";
  apiVersion?: string;
  recipientAccountId: string;
  sharedEventID?: string;
  serviceEventDetails?: unknown;
  vpcEndpointId?: string;
  eventCategory?: "Management" | "Data";
  addendum?: JsonObject;
  /** null: no tlsDetails (calls made by AWS services and "AWS Internal"). */
  tlsHost?: string | null;
  tlsVersion?: string;
  sessionCredentialFromConsole?: boolean;
}

const TLS_SUITES: Record<string, string> = {
  "TLSv1.3": "TLS_AES_128_GCM_SHA256",
  "TLSv1.2": "ECDHE-RSA-AES128-GCM-SHA256",
};

export function buildRecord(f: RecordFields): JsonObject {
  const record: JsonObject = {
    eventVersion: f.eventVersion ?? "1.11",
    userIdentity: f.userIdentity,
    eventTime: isoSeconds(f.time),
    eventSource: f.eventSource,
    eventName: f.eventName,
    awsRegion: f.region,
    sourceIPAddress: f.sourceIPAddress,
    userAgent: f.userAgent,
  };
  if (f.errorCode !== undefined) record["errorCode"] = f.errorCode;
  // A failed ConsoleLogin has an errorMessage and no errorCode.
  if (f.errorMessage !== undefined) record["errorMessage"] = f.errorMessage;
  record["requestParameters"] = f.requestParameters ?? null;
  record["responseElements"] = f.responseElements ?? null;
  if (f.additionalEventData !== undefined) record["additionalEventData"] = f.additionalEventData;
  if (f.requestID !== null) record["requestID"] = f.requestID;
  record["eventID"] = f.eventID;
  if (f.readOnly !== undefined) record["readOnly"] = f.readOnly;
  if (f.resources && f.resources.length > 0) record["resources"] = f.resources;
  record["eventType"] = f.eventType ?? "AwsApiCall";
  if (f.apiVersion !== undefined) record["apiVersion"] = f.apiVersion;
  const category = f.eventCategory ?? "Management";
  record["managementEvent"] = category === "Management";
  record["recipientAccountId"] = f.recipientAccountId;
  if (f.sharedEventID !== undefined) record["sharedEventID"] = f.sharedEventID;
  if (f.serviceEventDetails !== undefined) record["serviceEventDetails"] = f.serviceEventDetails;
  if (f.vpcEndpointId !== undefined) record["vpcEndpointId"] = f.vpcEndpointId;
  record["eventCategory"] = category;
  if (f.addendum !== undefined) record["addendum"] = f.addendum;
  if (f.tlsHost) {
    const version = f.tlsVersion ?? "TLSv1.3";
    record["tlsDetails"] = { tlsVersion: version, cipherSuite: TLS_SUITES[version] ?? TLS_SUITES["TLSv1.3"], clientProvidedHostHeader: f.tlsHost };
  }
  if (f.sessionCredentialFromConsole) record["sessionCredentialFromConsole"] = "true";
  return record;
}
