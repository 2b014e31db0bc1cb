import { normalizeRecord, type CloudTrailEvent } from "../../src/core/cloudtrail-event.js";
import { formatIsoSeconds } from "../../src/core/cloudtrail-time.js";
import { matchesEventQuery, type EventQuery } from "../../src/core/event-query.js";
import { emptyStats, type EventSource, type QueryAnswer } from "../../src/sources/event-source.js";

/** An EventSource over records held in memory: the reference semantics, for tracer unit tests. */
export function memorySource(records: readonly unknown[], label = "memory"): EventSource & { queriesSeen: EventQuery[] } {
  const events: CloudTrailEvent[] = records.map((raw, i) => {
    const result = normalizeRecord(raw, { origin: `${label}#${i}`, accountId: null, region: null });
    if (!result.ok) throw new Error(`test record ${i}: ${result.reason}`);
    return result.event;
  });
  const stats = emptyStats();
  const queriesSeen: EventQuery[] = [];
  return {
    label,
    queriesSeen,
    async query(queries): Promise<QueryAnswer[]> {
      stats.queries += queries.length;
      queriesSeen.push(...queries);
      return queries.map((q) => ({
        events: events.filter((e) => matchesEventQuery(e, q)),
        coverage: {
          accounts: [...new Set(events.map((e) => e.recipientAccountId).filter((a): a is string => a !== null))].sort(),
          regions: [...new Set(events.map((e) => e.awsRegion).filter((r): r is string => r !== null))].sort(),
          earliestEventTime: timeBound(events, Math.min),
          latestEventTime: timeBound(events, Math.max),
        },
      }));
    },
    problems: () => [],
    stats: () => ({ ...stats, recordsScanned: events.length }),
  };
}

function timeBound(events: readonly CloudTrailEvent[], pick: (...n: number[]) => number): string | null {
  const times = events.map((e) => e.eventTimeMs).filter((t): t is number => t !== null);
  return times.length ? formatIsoSeconds(pick(...times)) : null;
}
