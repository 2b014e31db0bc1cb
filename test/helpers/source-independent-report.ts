import type { TraceReport } from "../../src/schema/trace-report.js";

/**
 * A trace report without what legitimately differs between sources given the same logs: labels,
 * counters and skipped lists, and the coverage each gap says was searched (files read vs. the
 * window asked of an API), unless the sources read the same files and `keepCoverage` is set.
 */
export function sourceIndependent(report: TraceReport, options: { keepCoverage?: boolean } = {}): unknown {
  return {
    ...report, sources: null, stats: null, skipped: null,
    gaps: options.keepCoverage ? report.gaps : report.gaps.map((g) => ({ ...g, searched: g.searched && { ...g.searched, coverage: null } })),
  };
}
