/**
 * `--source lake://EVENT_DATA_STORE` names a CloudTrail Lake event data store by its id (the table
 * name Lake SQL uses: "the ID portion of the event data store's ARN", facts §8) or by its full ARN.
 */
export interface LakeUri {
  eventDataStore: string;
  /** From an ARN: the store's region and owner account (a delegated admin queries another account's store). */
  region?: string;
  accountId?: string;
}

/** Ids are UUID-like ("EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"); the id goes into SQL as a bare table name, so nothing else is accepted. */
const EVENT_DATA_STORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/;
const EVENT_DATA_STORE_ARN = /^arn:aws(?:-[a-z]+)*:cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/([^/]+)$/;

export function isEventDataStoreId(text: string): boolean {
  return EVENT_DATA_STORE_ID.test(text);
}

export function parseLakeUri(uri: string): LakeUri {
  const usage = "expected lake://EVENT_DATA_STORE_ID or lake://arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID";
  if (!uri.startsWith("lake://")) throw new Error(`not a Lake source: ${JSON.stringify(uri)}; ${usage}`);
  const rest = uri.slice("lake://".length).replace(/\/+$/, "");
  const arn = EVENT_DATA_STORE_ARN.exec(rest);
  const id = arn ? arn[3]! : rest;
  if (!isEventDataStoreId(id)) {
    throw new Error(`${JSON.stringify(uri)} does not name an event data store (letters, digits and "-" only); ${usage}`);
  }
  return arn ? { eventDataStore: id, region: arn[1]!, accountId: arn[2]! } : { eventDataStore: id };
}
