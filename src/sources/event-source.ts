import type { CloudTrailEvent } from "../core/cloudtrail-event.js";
import type { EventQuery } from "../core/event-query.js";

/**
 * What every CloudTrail backend offers the tracer and the sweep. A source answers a batch of
 * queries at once (one scan of local files, one SQL statement, …): answers[i] belongs to queries[i].
 * Each answer holds every matching record (duplicates by eventID allowed; callers dedupe) and the
 * coverage the source actually had, so a failed search can say what was searched.
 */
export interface EventSource {
  /** For reports: "local: fixtures/sample/logs", "s3://bucket/prefix", … */
  readonly label: string;
  /**
   * Each batch reads its whole time window again (local files, S3 objects), whatever it asks: one
   * wider batch then costs less than a second one. Engines that filter where the logs are (SQL, the
   * API) leave it unset: there, asking for more returns more rows.
   */
  readonly eachBatchRereads?: boolean;
  query(queries: readonly EventQuery[]): Promise<QueryAnswer[]>;
  /**
   * The same search as query, but each matching event goes to `onMatch` as soon as it is read, in
   * the order query would list it, and the source keeps none: a caller that keeps few (the sweep)
   * holds few, however large the window. Optional: visitMatches falls back on query.
   */
  visit?(queries: readonly EventQuery[], onMatch: MatchVisitor): Promise<Coverage[]>;
  /** Problems met so far (unreadable files, malformed records), each reported once. */
  problems(): readonly SourceProblem[];
  stats(): SourceStats;
  /** Keeps what is worth keeping for the next run (the local source's index); once, when done. */
  close?(): Promise<void>;
}

/** Takes one matching event; `queryIndex` is the index in the batch of the query it matched. */
export type MatchVisitor = (event: CloudTrailEvent, queryIndex: number) => void;

/** The source's visit when it has one, else its answers handed over one by one. */
export async function visitMatches(source: EventSource, queries: readonly EventQuery[], onMatch: MatchVisitor): Promise<Coverage[]> {
  if (source.visit) return source.visit(queries, onMatch);
  const answers = await source.query(queries);
  answers.forEach((answer, queryIndex) => {
    for (const event of answer.events) onMatch(event, queryIndex);
  });
  return answers.map((answer) => answer.coverage);
}

export interface QueryAnswer {
  events: CloudTrailEvent[];
  coverage: Coverage;
}

/** What a source looked at to answer a query: accounts and regions present, and the event-time span read. */
export interface Coverage {
  accounts: string[];
  regions: string[];
  /** Earliest and latest eventTime among the records examined, ISO; null when nothing was examined. */
  earliestEventTime: string | null;
  latestEventTime: string | null;
}

export interface SourceProblem {
  /** File path, S3 URI, … */
  location: string;
  /** One line: what was wrong. */
  reason: string;
  /** "skipped" = nothing from it was used; "partial" = some records were used. */
  effect: "skipped" | "partial";
}

export interface SourceStats {
  queries: number;
  /** Files/objects opened and read (local/S3); API calls or SQL statements for remote engines. */
  unitsRead: number;
  /** Files/objects that were not read because their name/location ruled them out. */
  unitsPruned: number;
  bytesRead: number;
  recordsScanned: number;
}

/** The merged view of several sources (several --source flags): answers concatenated. */
export function combineSources(sources: readonly EventSource[]): EventSource {
  if (sources.length === 1 && sources[0]) return sources[0];
  return {
    label: sources.map((s) => s.label).join(", "),
    eachBatchRereads: sources.every((s) => s.eachBatchRereads === true),
    async query(queries) {
      const perSource = await Promise.all(sources.map((s) => s.query(queries)));
      return queries.map((_, i) => {
        const answers = perSource.map((perQuery) => perQuery[i]!);
        return { events: answers.flatMap((a) => a.events), coverage: mergeCoverage(answers.map((a) => a.coverage)) };
      });
    },
    async visit(queries, onMatch) {
      // One source after the other, so that events arrive in the order query lists them.
      const perSource: Coverage[][] = [];
      for (const s of sources) perSource.push(await visitMatches(s, queries, onMatch));
      return queries.map((_, i) => mergeCoverage(perSource.map((coverage) => coverage[i]!)));
    },
    problems: () => sources.flatMap((s) => s.problems()),
    stats: () => sources.map((s) => s.stats()).reduce(addStats, emptyStats()),
    close: async () => {
      await Promise.all(sources.map((s) => s.close?.()));
    },
  };
}

/** What several sources looked at together: every account and region, the widest time span. */
function mergeCoverage(coverages: readonly Coverage[]): Coverage {
  const times = coverages.flatMap((c) => [c.earliestEventTime, c.latestEventTime])
    .filter((t): t is string => t !== null).sort();
  return {
    accounts: [...new Set(coverages.flatMap((c) => c.accounts))].sort(),
    regions: [...new Set(coverages.flatMap((c) => c.regions))].sort(),
    earliestEventTime: times[0] ?? null,
    latestEventTime: times[times.length - 1] ?? null,
  };
}

export function emptyStats(): SourceStats {
  return { queries: 0, unitsRead: 0, unitsPruned: 0, bytesRead: 0, recordsScanned: 0 };
}

function addStats(a: SourceStats, b: SourceStats): SourceStats {
  return {
    queries: Math.max(a.queries, b.queries),
    unitsRead: a.unitsRead + b.unitsRead,
    unitsPruned: a.unitsPruned + b.unitsPruned,
    bytesRead: a.bytesRead + b.bytesRead,
    recordsScanned: a.recordsScanned + b.recordsScanned,
  };
}
