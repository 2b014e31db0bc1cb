import type { CloudTrailEvent } from "./cloudtrail-event.js";
import type { EventRef } from "../schema/trace-report.js";

export function toEventRef(event: CloudTrailEvent): EventRef {
  return {
    eventID: event.eventID,
    eventName: event.eventName,
    eventSource: event.eventSource,
    eventTime: event.eventTime,
    awsRegion: event.awsRegion,
    recipientAccountId: event.recipientAccountId,
    sourceIPAddress: event.sourceIPAddress,
    userAgent: event.userAgent,
    sharedEventID: event.sharedEventID,
  };
}
