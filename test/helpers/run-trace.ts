import { traceRoleChain } from "../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS, type TraceOptions } from "../../src/core/trace/trace-options.js";
import { TraceReportSchema, type TraceReport } from "../../src/schema/trace-report.js";
import { memorySource } from "./memory-source.js";

export interface TraceRun {
  report: TraceReport;
  source: ReturnType<typeof memorySource>;
}

/**
 * Traces `eventId` over in-memory records with the default options, and checks the report against
 * the public rolechain.trace/v1 schema, so every test also guards the report shape.
 */
export async function trace(records: readonly unknown[], eventId: string, options: Partial<TraceOptions> = {}): Promise<TraceRun> {
  const source = memorySource(records);
  let tick = 1_000;
  const report = await traceRoleChain(source, {
    eventId,
    lookbackMs: DEFAULT_LOOKBACK_MS,
    maxHops: DEFAULT_MAX_HOPS,
    ...options,
  }, () => (tick += 5));
  return { report: TraceReportSchema.parse(report), source };
}
