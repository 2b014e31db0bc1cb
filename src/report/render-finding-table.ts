import Table from "cli-table3";
import type { Finding, TraceSummary } from "../schema/finding.js";
import type { SweepSummary, SweepWindowRef } from "../schema/sweep-report.js";
import { terminalCell as cell } from "./terminal-text.js";

export interface FindingTableLayout {
  /** Terminal width in columns. */
  columns: number;
}

/**
 * The people-facing view of a sweep: one row per new finding, then per finding the reason, the
 * event ids to pivot on and the trace summary. Every log-derived string passes through `cell`
 * (terminal-safe and bounded): session names and user agents are attacker-controlled.
 */
export function renderFindingTable(
  findings: readonly Finding[], window: SweepWindowRef, summary: SweepSummary, layout: FindingTableLayout = { columns: 140 },
): string {
  const lines: string[] = [];
  if (findings.length === 0) {
    lines.push(`No new findings in ${window.from} … ${window.to}${summary.suppressedAsAlreadyReported ? ` (${summary.suppressedAsAlreadyReported} already reported)` : ""}.`);
  } else {
    lines.push(findingTable(findings, layout));
    findings.forEach((f, i) => {
      lines.push(`  #${i} ${f.kind}: ${cell(f.reason, 400)}`);
      lines.push(`     ${eventIds(f)}`);
      const extra = [principals(f), webIdentity(f), traceLine(f.trace)].filter((x): x is string => x !== null);
      for (const line of extra) lines.push(`     ${line}`);
    });
    lines.push(`${findings.length} new finding(s) in ${window.from} … ${window.to}`
      + `${summary.suppressedAsAlreadyReported ? `; ${summary.suppressedAsAlreadyReported} already reported` : ""}.`);
  }
  if (summary.skippedFiles > 0) lines.push(`Skipped   ${summary.skippedFiles} file(s) not fully read (listed on stderr and in --format json); results may be partial`);
  return `${lines.join("\n")}\n`;
}

function findingTable(findings: readonly Finding[], layout: FindingTableLayout): string {
  const fixed = [4, 22, 10, 17];
  const borders = 7;
  const flexible = Math.max(40, layout.columns - fixed.reduce((a, b) => a + b, 0) - borders);
  const roleWidth = Math.floor(flexible * 0.45);
  const table = new Table({
    head: ["#", "Time (UTC)", "Severity", "Role", "Caller", "Source IP"],
    style: { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: false,
    colWidths: [fixed[0]!, fixed[1]!, fixed[2]!, roleWidth, flexible - roleWidth, fixed[3]!],
  });
  findings.forEach((f, i) => {
    table.push([
      String(i),
      `${cell(f.eventTime)}\n${cell(f.awsRegion)}`,
      f.severity.toUpperCase(),
      [shortArn(f.roleArn), f.roleAccountId ? `account ${cell(f.roleAccountId)}` : null].filter(Boolean).join("\n"),
      [
        cell(f.callerType),
        f.callerArn ? shortArn(f.callerArn) : null,
        f.callerAccountId ? `account ${cell(f.callerAccountId)}` : null,
      ].filter(Boolean).join("\n"),
      cell(f.sourceIPAddress),
    ]);
  });
  return table.toString();
}

/** The account has its own line: drop the "arn:aws:iam::123…:" noise so the name fits. */
function shortArn(arn: string | null): string {
  if (!arn) return "-";
  return cell(arn.replace(/^arn:[^:]+:(iam|sts)::\d+:/, ""), 200);
}

function eventIds(f: Finding): string {
  return [
    `${cell(f.eventName)} eventID ${cell(f.eventID)} (copy in ${cell(f.recipientAccountId)})`,
    f.sharedEventID ? `sharedEventID ${cell(f.sharedEventID)}` : null,
    f.userAgent ? `agent ${cell(f.userAgent, 60)}` : null,
  ].filter(Boolean).join("; ");
}

function principals(f: Finding): string | null {
  if (f.principals.length === 0) return null;
  return `principals ${f.principals.map((p) => `${p.element === "NotPrincipal" ? "NotPrincipal " : ""}${cell(p.kind)}:${cell(p.value, 160)}`
    + `${p.conditionKeys.length ? ` (conditions ${p.conditionKeys.map((k) => cell(k)).join(", ")})` : ""}`).join("; ")}`;
}

function webIdentity(f: Finding): string | null {
  if (!f.webIdentity) return null;
  return `web identity ${cell(f.webIdentity.provider)} subject ${cell(f.webIdentity.subject, 200)}`;
}

function traceLine(trace: TraceSummary | null): string | null {
  if (!trace) return null;
  const origin = trace.origin
    ? `${cell(trace.origin.type)} ${cell(trace.origin.arn ?? trace.origin.userName ?? trace.origin.accountId ?? trace.origin.principalId, 200)}`
      + ` from ${cell(trace.origin.sourceIPAddress)}`
    : "unknown";
  return `trace ${trace.complete ? "complete" : "INCOMPLETE"}: ${trace.hops} hop(s), origin ${origin}`
    + `${trace.gaps.length ? `; gaps ${trace.gaps.join(", ")}` : ""}`;
}
