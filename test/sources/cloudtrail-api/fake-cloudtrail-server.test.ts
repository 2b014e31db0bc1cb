import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessKeyIdFor, startFakeCloudTrailServer, type FakeCloudTrailServer } from "../../helpers/fake-cloudtrail-server.js";
import { ACCOUNT_A, ACCOUNT_B, NOW_MS, crossAccountChain, manyEvents, sameAccountChain } from "./small-org-records.js";

// The fake endpoint keeps the real API's rules; these tests pin them, so the source tests mean something.
let server: FakeCloudTrailServer;
const clients: CloudTrailClient[] = [];
const dataEvent = { ...manyEvents(1, "GetObject")[0], eventID: "data-event", managementEvent: false, eventCategory: "Data" };
const ancient = { ...manyEvents(1, "ListUsers")[0], eventID: "ancient", eventTime: "2026-01-01T00:00:00Z" };

beforeAll(async () => {
  server = await startFakeCloudTrailServer({
    records: [...sameAccountChain.records, ...crossAccountChain.records, ...manyEvents(5), dataEvent, ancient], nowMs: NOW_MS, requestsPerSecond: 1000,
  });
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await server.close();
});

function lookup(input: LookupEventsCommandInput, account = ACCOUNT_A, region = "us-east-1") {
  const client = new CloudTrailClient({ endpoint: server.url, region, maxAttempts: 1, credentials: { accessKeyId: accessKeyIdFor(account), secretAccessKey: "x" } });
  clients.push(client);
  return client.send(new LookupEventsCommand(input));
}

describe("fake CloudTrail LookupEvents endpoint", () => {
  it("serves the signing account's management events of the signed region, newest first", async () => {
    const page = await lookup({ MaxResults: 50 });
    const ids = page.Events?.map((e) => e.EventId) ?? [];
    expect(ids).not.toContain("data-event");
    expect(ids).not.toContain("ancient");
    const times = page.Events?.map((e) => e.EventTime!.getTime()) ?? [];
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.Events?.every((e) => JSON.parse(e.CloudTrailEvent!).recipientAccountId === ACCOUNT_A && JSON.parse(e.CloudTrailEvent!).awsRegion === "us-east-1")).toBe(true);
    expect((await lookup({ MaxResults: 50 }, ACCOUNT_A, "eu-west-1")).Events?.map((e) => e.EventId)).toEqual([sameAccountChain.subjectEventId]);
    expect((await lookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "AssumeRole" }] }, ACCOUNT_B)).Events).toHaveLength(1);
  });

  it("filters by one attribute: Username is the session name of an assumed role, ResourceName a resources[] ARN", async () => {
    const byUser = await lookup({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "bob" }] });
    expect(byUser.Events?.map((e) => e.EventId)).toEqual([crossAccountChain.subjectEventId]);
    const byRole = await lookup({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: `arn:aws:iam::${ACCOUNT_A}:role/admin` }] });
    expect(byRole.Events?.map((e) => e.EventName)).toEqual(["AssumeRole"]);
    expect(byRole.Events?.[0]?.Resources).toEqual([{ ResourceType: "AWS::IAM::Role", ResourceName: `arn:aws:iam::${ACCOUNT_A}:role/admin` }]);
  });

  it("treats StartTime and EndTime as inclusive seconds", async () => {
    const at = new Date("2026-11-17T10:00:02Z");
    const page = await lookup({ StartTime: at, EndTime: at, LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DescribeInstances" }] });
    expect(page.Events?.map((e) => e.EventTime?.toISOString())).toEqual(["2026-11-17T10:00:02.000Z"]);
  });

  it("pages with an opaque token that only works with the same parameters", async () => {
    const first = await lookup({ MaxResults: 2, LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DescribeInstances" }] });
    expect(first.Events).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const second = await lookup({ MaxResults: 2, NextToken: first.NextToken, LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DescribeInstances" }] });
    expect(second.Events?.map((e) => e.EventId)).not.toContain(first.Events?.[0]?.EventId);
    await expect(lookup({ MaxResults: 3, NextToken: first.NextToken })).rejects.toMatchObject({ name: "InvalidNextTokenException" });
  });

  it("rejects what the real API rejects", async () => {
    await expect(lookup({ MaxResults: 51 })).rejects.toMatchObject({ name: "InvalidMaxResultsException" });
    await expect(lookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "A" }, { AttributeKey: "EventSource", AttributeValue: "B" }] }))
      .rejects.toMatchObject({ name: "InvalidLookupAttributesException" });
    await expect(lookup({ StartTime: new Date(NOW_MS), EndTime: new Date(NOW_MS - 1000) })).rejects.toMatchObject({ name: "InvalidTimeRangeException" });
    await expect(lookup({}, "999999999999")).rejects.toMatchObject({ name: "UnrecognizedClientException", $metadata: { httpStatusCode: 400 } });
    expect(server.requests.at(-1)).toMatchObject({ account: null, region: "us-east-1", outcome: "UnrecognizedClientException" });
  });

  it("throttles more than the configured requests per second for one account and region", async () => {
    const strict = await startFakeCloudTrailServer({ records: manyEvents(1), nowMs: NOW_MS, requestsPerSecond: 2 });
    const client = new CloudTrailClient({ endpoint: strict.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: accessKeyIdFor(ACCOUNT_A), secretAccessKey: "x" } });
    try {
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => client.send(new LookupEventsCommand({}))));
      expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.name)).toEqual(["ThrottlingException"]);
    } finally {
      client.destroy();
      await strict.close();
    }
  });
});
