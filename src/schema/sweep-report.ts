import { z } from "zod";
import { FindingSchema } from "./finding.js";
import { SkippedSchema } from "./trace-report.js";

/**
 * rolechain.sweep/v1 — the JSON contract of `sweep --format json`. docs/schema/sweep.v1.json is
 * generated from it (npm run schema). Fields are only ever added within v1.
 */

export const SweepWindowSchema = z.object({
  from: z.string().meta({ description: "Start of the window read, ISO 8601 UTC, inclusive." }),
  to: z.string().meta({ description: "End of the window read, inclusive; the state's next watermark." }),
}).meta({ id: "SweepWindow", description: "The eventTime range the sweep covered." });

export const SweepSummarySchema = z.object({
  eventsScanned: z.number().int().meta({ description: "CloudTrail records the sources read to answer the sweep's query." }),
  candidateEvents: z.number().int().meta({ description: "Distinct events (by eventID) the detection examined: the window's cross-account AssumeRole calls, web-identity assumptions, CreateRole and UpdateAssumeRolePolicy calls, and every assumption of a role whose trust policy changed." }),
  findings: z.number().int().meta({ description: "Findings detected in the window, including those already reported." }),
  newFindings: z.number().int().meta({ description: "Findings printed by this run." }),
  suppressedAsAlreadyReported: z.number().int().meta({ description: "Findings a previous run (per --state) already reported." }),
  skippedFiles: z.number().int().meta({ description: "Files skipped or only partly read; listed under skipped." }),
}).meta({ id: "SweepSummary" });

export const SweepReportSchema = z.object({
  schema: z.literal("rolechain.sweep/v1"),
  sources: z.array(z.string()),
  window: SweepWindowSchema,
  summary: SweepSummarySchema,
  findings: z.array(FindingSchema).meta({ description: "New findings only, ordered by eventTime then id." }),
  skipped: z.array(SkippedSchema),
}).meta({ id: "SweepReport" });

export type SweepWindowRef = z.infer<typeof SweepWindowSchema>;
export type SweepSummary = z.infer<typeof SweepSummarySchema>;
export type SweepReport = z.infer<typeof SweepReportSchema>;
