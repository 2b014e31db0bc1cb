import Table from "cli-table3";
import type { EventRef, Gap, Hop, Origin, Principal, TraceReport } from "../schema/trace-report.js";
import { terminalCell as cell } from "./terminal-text.js";

export interface TableLayout {
  /** Terminal width in columns; the two free-text columns share what is left. */
  columns: number;
}

/**
 * The people-facing view: one row per hop from the subject back to the origin, then the event ids to
 * pivot on, the origin, and any gaps. Every log-derived string goes through `cell` (terminal-safe).
 */
export function renderTraceTable(report: TraceReport, layout: TableLayout = { columns: 140 }): string {
  const lines: string[] = [];
  lines.push(report.subject ? `Subject   ${describeEvent(report.subject)}` : "Subject   not found");
  if (report.hops.length > 0) {
    lines.push(hopTable(report.hops, layout));
    report.hops.forEach((hop, i) => lines.push(`  #${i} ${hopEvents(hop)}`));
  }
  lines.push(report.origin ? `Origin    ${describeOrigin(report.origin)}` : "Origin    unknown (the chain stops before any origin: see the gaps)");
  for (const g of report.gaps) lines.push(`Gap       ${describeGap(g)}`);
  report.hops.forEach((hop, i) => {
    if (hop.fallback) {
      lines.push(`Note      #${i}: ${cell(hop.fallback.reason, 200)} ${hop.fallback.candidates} candidate call(s) in ${hop.fallback.window.from} … ${hop.fallback.window.to}.`);
    }
  });
  if (report.skipped.length > 0) lines.push(`Skipped   ${report.skipped.length} file(s) not fully read (listed on stderr and in --format json)`);
  const { stats } = report;
  lines.push(`Chain     ${report.complete ? "complete" : "INCOMPLETE"}: ${report.hops.length} hop(s); ${stats.filesRead} reads (files, objects, API calls or queries), ${stats.filesPruned} files skipped by time/account; ${(stats.durationMs / 1000).toFixed(2)} s`);
  return `${lines.join("\n")}\n`;
}

function hopTable(hops: readonly Hop[], layout: TableLayout): string {
  const fixed = [4, 22, 14, 17, 16];
  const borders = 8;
  const flexible = Math.max(30, layout.columns - fixed.reduce((a, b) => a + b, 0) - borders);
  const roleWidth = Math.floor(flexible * 0.45);
  const table = new Table({
    head: ["#", "Issued (UTC)", "Account", "Role / session", "Caller", "Caller IP", "Matched by"],
    style: { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: false,
    colWidths: [fixed[0]!, fixed[1]!, fixed[2]!, roleWidth, flexible - roleWidth, fixed[3]!, fixed[4]!],
  });
  hops.forEach((hop, i) => {
    table.push([
      String(i),
      `${cell(hop.assumeRole.eventTime)}\n${cell(hop.assumeRole.awsRegion)}`,
      cell(hop.assumeRole.recipientAccountId),
      [
        shortArn(hop.session.roleArn ?? hop.session.arn),
        `session ${cell(hop.session.sessionName ?? hop.session.userName)}`,
        hop.session.sourceIdentity ? `sourceIdentity ${cell(hop.session.sourceIdentity)}` : null,
      ].filter(Boolean).join("\n"),
      [
        `${cell(hop.caller.type)} ${principalName(hop.caller)}`,
        principalDetails(hop.caller),
        hop.crossAccount ? "cross-account" : null,
      ].filter(Boolean).join("\n"),
      cell(hop.callerSourceIPAddress),
      [hop.matchedBy, hop.switchRole ? "+ SwitchRole" : null, hop.fallback ? "(fallback)" : null].filter(Boolean).join("\n"),
    ]);
  });
  return table.toString();
}

/** The account is in its own column: drop the "arn:aws:iam::123…:" noise so the name fits. */
function shortArn(arn: string | null): string {
  if (!arn) return "-";
  return cell(arn.replace(/^arn:[^:]+:(iam|sts)::\d+:/, ""), 200);
}

function principalName(p: Principal): string {
  if (p.type === "AWSAccount") return `account ${cell(p.accountId)}`;
  if (p.arn) return `${shortArn(p.arn)}${p.accountId ? ` (${cell(p.accountId)})` : ""}`;
  return cell(p.userName ?? p.invokedBy ?? p.principalId);
}

function principalDetails(p: Principal): string | null {
  const details = [
    p.mfaAuthenticated === null ? null : `MFA ${p.mfaAuthenticated ? "yes" : "no"}`,
    p.identityProvider ? `idp ${cell(p.identityProvider)}` : null,
    p.type === "SAMLUser" && p.arn && p.userName ? `user ${cell(p.userName)}` : null,
    p.webIdentitySubject ? `subject ${cell(p.webIdentitySubject)}` : null,
    p.instanceId ? `instance ${cell(p.instanceId)}` : null,
    p.invokedBy && p.arn ? `via ${cell(p.invokedBy)}` : null,
  ].filter((x): x is string => x !== null);
  return details.length ? details.join(", ") : null;
}

function hopEvents(hop: Hop): string {
  return [
    `${cell(hop.assumeRole.eventName)} ${cell(hop.assumeRole.eventID)} (copy in ${cell(hop.assumeRole.recipientAccountId)})`,
    hop.callerEvent ? `caller copy ${cell(hop.callerEvent.eventID)} (in ${cell(hop.callerEvent.recipientAccountId)})` : null,
    hop.switchRole ? `SwitchRole ${cell(hop.switchRole.eventID)}` : null,
  ].filter(Boolean).join("; ");
}

function describeEvent(event: EventRef): string {
  return `${cell(event.eventTime)}  ${cell(event.eventSource?.replace(".amazonaws.com", ""))}:${cell(event.eventName)}  ` +
    `account ${cell(event.recipientAccountId)}  ${cell(event.awsRegion)}  from ${cell(event.sourceIPAddress)}  eventID ${cell(event.eventID)}`;
}

function describeOrigin(o: Origin): string {
  const details = principalDetails(o);
  return `${cell(o.type)} ${principalName(o)}${details ? `, ${details}` : ""}  from ${cell(o.sourceIPAddress)}  (${cell(o.userAgent, 60)})` +
    (o.sourceIdentity ? `  sourceIdentity ${cell(o.sourceIdentity)}` : "");
}

function describeGap(g: Gap): string {
  const lines = [`${g.reason}${g.hop !== null ? ` at hop #${g.hop}` : ""}: ${cell(g.message, 400)}`];
  if (g.searched) {
    const s = g.searched;
    lines.push(`          searched ${s.eventNames?.join("/") ?? "all events"} in ${s.accounts?.join(", ") ?? "all accounts"}` +
      `${s.window ? `, ${s.window.from} … ${s.window.to}` : ""}`);
    lines.push(`          the sources there held accounts ${s.coverage.accounts.join(", ") || "none"}; regions ${s.coverage.regions.join(", ") || "none"}` +
      `${s.coverage.earliestEventTime ? `; events ${s.coverage.earliestEventTime} … ${s.coverage.latestEventTime}` : ""}`);
  }
  return lines.join("\n");
}
