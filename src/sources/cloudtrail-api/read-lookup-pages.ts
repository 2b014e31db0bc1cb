import {
  LookupEventsCommand, type CloudTrailClient, type Event as LookupEvent, type LookupEventsCommandInput,
} from "@aws-sdk/client-cloudtrail";
import type { LookupCall } from "./lookup-plan.js";
import { retryWhenThrottled, type RetryHooks } from "./throttle-backoff.js";

/** The API's largest page (facts §6); passed explicitly since older docs give a default of 10. */
export const LOOKUP_EVENTS_PAGE_SIZE = 50;

export interface PageHooks {
  /** Resolves when the next request may be sent (the rate limiter); awaited before every try. */
  beforeRequest: () => Promise<void>;
  /** Called once per request actually sent, throttled ones included. */
  onRequest: () => void;
  retry: RetryHooks;
}

/**
 * Every event of one LookupEvents call: page after page until no NextToken is returned. Each page
 * (and each retry of a throttled page) waits for the rate limiter first. Errors other than
 * exhausted throttling retries propagate unchanged for the caller to classify.
 */
export async function readLookupPages(
  client: CloudTrailClient, call: LookupCall, hooks: PageHooks,
): Promise<{ events: LookupEvent[]; pages: number }> {
  const events: LookupEvent[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const input: LookupEventsCommandInput = {
      ...(call.attribute ? { LookupAttributes: [{ AttributeKey: call.attribute.key, AttributeValue: call.attribute.value }] } : {}),
      StartTime: new Date(call.startTimeSeconds * 1000),
      EndTime: new Date(call.endTimeSeconds * 1000),
      MaxResults: LOOKUP_EVENTS_PAGE_SIZE,
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const page = await retryWhenThrottled(async () => {
      await hooks.beforeRequest();
      hooks.onRequest();
      // A fresh command per try: the SDK's middleware state belongs to one send.
      return client.send(new LookupEventsCommand(input));
    }, hooks.retry);
    pages++;
    events.push(...(page.Events ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return { events, pages };
}
