import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A CloudTrail LookupEvents endpoint on 127.0.0.1 speaking AWS JSON 1.1, over a set of CloudTrail
 * records, with the real API's rules as far as the facts sheet (§6) knows them:
 * - the account is the one the signing access key belongs to, the region the one in the signature's
 *   credential scope; only records delivered to that account (recipientAccountId) for that region
 *   (awsRegion) are served, management events only, from the last 90 days before `nowMs`;
 * - at most one lookup attribute, MaxResults 1–50 (default 50), StartTime/EndTime inclusive epoch
 *   seconds, newest first, opaque NextToken bound to the request's parameters;
 * - more than `requestsPerSecond` accepted requests within one second for one account+region →
 *   400 ThrottlingException; a disabled region or an unknown key → 400 UnrecognizedClientException.
 */
export interface FakeCloudTrailOptions {
  /** CloudTrail records as delivered to trails (duplicates by eventID are served once). */
  records: readonly unknown[];
  /** "Now" for the 90-day history. */
  nowMs: number;
  /** Access key id → account. Default: accessKeyIdFor(account) for every recipientAccountId in the records. */
  accessKeys?: ReadonlyMap<string, string>;
  /** Asked for keys not in accessKeys: e.g. session keys a fake STS issued during the test. */
  accountOfIssuedKey?: (accessKeyId: string) => string | undefined;
  /** Per account+region. Default 2, the documented limit. */
  requestsPerSecond?: number;
  /** Regions no account has enabled. */
  disabledRegions?: readonly string[];
}

export interface FakeRequestLogEntry {
  account: string | null;
  region: string | null;
  /** "EventName=AssumeRole", or null when the request had no lookup attribute. */
  attribute: string | null;
  /** 1 for the first page of a lookup, 2 for the one its NextToken asked for, … */
  page: number;
  /** "ok" or the error's __type. */
  outcome: string;
}

export interface FakeCloudTrailServer {
  url: string;
  requests: FakeRequestLogEntry[];
  /** Records served per account, for defaultAccounts in tests. */
  accounts: string[];
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;
const TARGET = "CloudTrail_20131101.LookupEvents";
const ATTRIBUTE_KEYS = new Set(["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"]);

/** The access key id a test client uses for `account`. */
export function accessKeyIdFor(account: string): string {
  return `AKIAFAKE${account}`;
}

interface StoredRecord {
  raw: Record<string, unknown>;
  json: string;
  eventTimeSeconds: number;
}

class RequestError extends Error {
  constructor(readonly type: string, message: string) { super(message); }
}

export async function startFakeCloudTrailServer(options: FakeCloudTrailOptions): Promise<FakeCloudTrailServer> {
  const limit = options.requestsPerSecond ?? 2;
  const disabled = new Set(options.disabledRegions ?? []);
  const historyStartSeconds = (options.nowMs - 90 * DAY_MS) / 1000;
  const nowSeconds = options.nowMs / 1000;
  const byAccountRegion = indexRecords(options.records, historyStartSeconds, nowSeconds);
  const accounts = [...new Set([...byAccountRegion.keys()].map((k) => k.split("/")[0]!))].sort();
  const accessKeys = options.accessKeys ?? new Map(accounts.map((a) => [accessKeyIdFor(a), a]));
  const requests: FakeRequestLogEntry[] = [];
  const accepted = new Map<string, number[]>();

  const handle = (req: IncomingMessage, body: string): unknown => {
    if (req.method !== "POST" || req.headers["x-amz-target"] !== TARGET) {
      throw new RequestError("UnknownOperationException", `no such operation: ${String(req.headers["x-amz-target"])}`);
    }
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/cloudtrail\/aws4_request/.exec(String(req.headers.authorization ?? ""));
    const account = scope ? accessKeys.get(scope[1]!) ?? options.accountOfIssuedKey?.(scope[1]!) : undefined;
    const region = scope?.[2] ?? null;
    const input = JSON.parse(body || "{}") as Record<string, unknown>;
    const attribute = attributeOf(input);
    const entry: FakeRequestLogEntry = {
      account: account ?? null, region, attribute: attribute && `${attribute.key}=${attribute.value}`, page: 1, outcome: "ok",
    };
    requests.push(entry);
    try {
      if (!account || !region || disabled.has(region)) {
        throw new RequestError("UnrecognizedClientException", "The security token included in the request is invalid.");
      }
      throttle(`${account}/${region}`);
      const result = lookup(byAccountRegion.get(`${account}/${region}`) ?? [], input, attribute, entry);
      return result;
    } catch (error) {
      if (error instanceof RequestError) entry.outcome = error.type;
      throw error;
    }
  };

  // A sliding one-second window of accepted requests per account+region.
  const throttle = (key: string): void => {
    const at = performance.now();
    const recent = (accepted.get(key) ?? []).filter((t) => t > at - 1000);
    if (recent.length >= limit) {
      accepted.set(key, recent);
      throw new RequestError("ThrottlingException", "Rate exceeded");
    }
    recent.push(at);
    accepted.set(key, recent);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let status = 200;
      let payload: unknown;
      try {
        payload = handle(req, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        status = 400;
        payload = error instanceof RequestError
          ? { __type: error.type, message: error.message }
          : { __type: "InvalidParameterException", message: error instanceof Error ? error.message : String(error) };
      }
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accounts,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** Management events of the history window, by "account/region", newest first (ties by eventID). */
function indexRecords(records: readonly unknown[], startSeconds: number, endSeconds: number): Map<string, StoredRecord[]> {
  const seen = new Set<string>();
  const index = new Map<string, StoredRecord[]>();
  for (const raw of records) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) continue;
    const record = raw as Record<string, unknown>;
    const id = record["eventID"];
    if (typeof id !== "string" || seen.has(id)) continue;
    seen.add(id);
    if (record["managementEvent"] === false || (record["eventCategory"] !== undefined && record["eventCategory"] !== "Management")) continue;
    const time = Date.parse(String(record["eventTime"]));
    if (Number.isNaN(time) || time / 1000 < startSeconds || time / 1000 > endSeconds) continue;
    const key = `${String(record["recipientAccountId"])}/${String(record["awsRegion"])}`;
    const list = index.get(key) ?? [];
    list.push({ raw: record, json: JSON.stringify(record), eventTimeSeconds: time / 1000 });
    index.set(key, list);
  }
  for (const list of index.values()) {
    list.sort((a, b) => b.eventTimeSeconds - a.eventTimeSeconds || String(a.raw["eventID"]).localeCompare(String(b.raw["eventID"])));
  }
  return index;
}

function attributeOf(input: Record<string, unknown>): { key: string; value: string } | null {
  const list = input["LookupAttributes"];
  if (list === undefined) return null;
  if (!Array.isArray(list) || list.length > 1) {
    throw new RequestError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
  }
  if (list.length === 0) return null;
  const item = list[0] as { AttributeKey?: unknown; AttributeValue?: unknown };
  if (typeof item.AttributeKey !== "string" || !ATTRIBUTE_KEYS.has(item.AttributeKey) || typeof item.AttributeValue !== "string") {
    throw new RequestError("InvalidLookupAttributesException", `Invalid lookup attribute: ${JSON.stringify(item)}`);
  }
  return { key: item.AttributeKey, value: item.AttributeValue };
}

function lookup(
  records: readonly StoredRecord[], input: Record<string, unknown>, attribute: { key: string; value: string } | null,
  entry: FakeRequestLogEntry,
): unknown {
  const maxResults = input["MaxResults"] ?? 50;
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    throw new RequestError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
  }
  const start = typeof input["StartTime"] === "number" ? input["StartTime"] : Number.NEGATIVE_INFINITY;
  const end = typeof input["EndTime"] === "number" ? input["EndTime"] : Number.POSITIVE_INFINITY;
  if (start > end) throw new RequestError("InvalidTimeRangeException", "StartTime is after EndTime.");
  // The token binds the parameters, as the API requires them to be passed again unchanged.
  const parameters = createHash("sha256").update(JSON.stringify([attribute, input["StartTime"], input["EndTime"], maxResults])).digest("hex").slice(0, 16);
  let offset = 0;
  if (input["NextToken"] !== undefined) {
    const token = decodeToken(input["NextToken"]);
    if (!token || token.parameters !== parameters) throw new RequestError("InvalidNextTokenException", "Invalid NextToken.");
    offset = token.offset;
    entry.page = token.page;
  }
  const matching = records.filter((r) => r.eventTimeSeconds >= start && r.eventTimeSeconds <= end && matchesAttribute(r.raw, attribute));
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults < matching.length
    ? Buffer.from(JSON.stringify({ offset: offset + maxResults, page: entry.page + 1, parameters })).toString("base64")
    : undefined;
  return { Events: page.map(toLookupEvent), ...(next ? { NextToken: next } : {}) };
}

function decodeToken(value: unknown): { offset: number; page: number; parameters: string } | null {
  if (typeof value !== "string") return null;
  try {
    const token = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as { offset?: unknown; page?: unknown; parameters?: unknown };
    return typeof token.offset === "number" && typeof token.page === "number" && typeof token.parameters === "string"
      ? { offset: token.offset, page: token.page, parameters: token.parameters }
      : null;
  } catch {
    return null;
  }
}

function matchesAttribute(record: Record<string, unknown>, attribute: { key: string; value: string } | null): boolean {
  if (!attribute) return true;
  const { key, value } = attribute;
  switch (key) {
    case "EventId": return record["eventID"] === value;
    case "EventName": return record["eventName"] === value;
    case "EventSource": return record["eventSource"] === value;
    case "ReadOnly": return String(record["readOnly"]) === value;
    case "Username": return usernameOf(record) === value;
    case "AccessKeyId": return identityOf(record)["accessKeyId"] === value;
    case "ResourceType": return resourcesOf(record).some((r) => r.ResourceType === value);
    case "ResourceName": return resourcesOf(record).some((r) => r.ResourceName === value);
    default: return false;
  }
}

function identityOf(record: Record<string, unknown>): Record<string, unknown> {
  const identity = record["userIdentity"];
  return typeof identity === "object" && identity !== null ? identity as Record<string, unknown> : {};
}

/** The user name; for an assumed role the session name (facts §6); "root" for the root user. */
function usernameOf(record: Record<string, unknown>): string | null {
  const identity = identityOf(record);
  if (typeof identity["userName"] === "string") return identity["userName"];
  if (identity["type"] === "AssumedRole" && typeof identity["arn"] === "string") return identity["arn"].split("/").pop() ?? null;
  if (identity["type"] === "Root") return "root";
  return null;
}

function resourcesOf(record: Record<string, unknown>): { ResourceType: string; ResourceName: string }[] {
  const resources = record["resources"];
  if (!Array.isArray(resources)) return [];
  return resources.flatMap((r: unknown) => {
    const resource = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
    return typeof resource["ARN"] === "string" && typeof resource["type"] === "string"
      ? [{ ResourceType: resource["type"], ResourceName: resource["ARN"] }]
      : [];
  });
}

function toLookupEvent(record: StoredRecord): unknown {
  const identity = identityOf(record.raw);
  return {
    EventId: record.raw["eventID"],
    EventName: record.raw["eventName"],
    ReadOnly: record.raw["readOnly"] === undefined ? undefined : String(record.raw["readOnly"]),
    AccessKeyId: identity["accessKeyId"],
    EventTime: record.eventTimeSeconds,
    EventSource: record.raw["eventSource"],
    Username: usernameOf(record.raw) ?? undefined,
    Resources: resourcesOf(record.raw),
    CloudTrailEvent: record.json,
  };
}
