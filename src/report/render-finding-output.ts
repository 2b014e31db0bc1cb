import type { Finding } from "../schema/finding.js";
import type { SweepReport, SweepSummary, SweepWindowRef } from "../schema/sweep-report.js";
import type { SourceProblem } from "../sources/event-source.js";
import { findingToOcsf } from "./finding-to-ocsf.js";
import { renderFindingTable } from "./render-finding-table.js";

export const SWEEP_FORMATS = ["table", "json", "jsonl", "ocsf"] as const;
export type SweepFormat = (typeof SWEEP_FORMATS)[number];

export interface SweepOutput {
  sources: string[];
  window: SweepWindowRef;
  summary: SweepSummary;
  findings: Finding[];
  skipped: SourceProblem[];
}

export interface RenderContext {
  /** rolechain's version, for OCSF metadata.product.version. */
  version: string;
  /** Terminal width for the table. */
  columns: number;
  /** OCSF `time` for a finding whose event has no eventTime (never for records matched by time). */
  fallbackTimeMs: number;
}

/** The whole of stdout for one sweep, in one string (written at once, before the state advances). */
export function renderSweepOutput(format: SweepFormat, output: SweepOutput, context: RenderContext): string {
  switch (format) {
    case "jsonl":
      return output.findings.map((f) => `${JSON.stringify(f)}\n`).join("");
    case "ocsf":
      return output.findings.map((f) => `${JSON.stringify(findingToOcsf(f, { version: context.version }, context.fallbackTimeMs))}\n`).join("");
    case "json": {
      const report: SweepReport = {
        schema: "rolechain.sweep/v1",
        sources: output.sources,
        window: output.window,
        summary: output.summary,
        findings: output.findings,
        skipped: output.skipped.map((p) => ({ location: p.location, reason: p.reason, effect: p.effect })),
      };
      return `${JSON.stringify(report, null, 2)}\n`;
    }
    case "table":
      return renderFindingTable(output.findings, output.window, output.summary, { columns: context.columns });
  }
}
