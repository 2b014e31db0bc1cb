import Table from "cli-table3";
import type { EventRef, Gap, Hop, Origin, Principal, TraceReport } from "../schema/trace-report.js";
import { terminalCell as cell } from "./terminal-text.js";

/** The people-facing view: one row per hop from the subject back to the origin, then origin and gaps. */
export function renderTraceTable(report: TraceReport): string {
  const lines: string[] = [];
  lines.push(report.subject ? `Subject   ${describeEvent(report.subject)}` : "Subject   not found");
  if (report.hops.length > 0) lines.push(hopTable(report.hops));
  lines.push(report.origin ? `Origin    ${describeOrigin(report.origin)}` : "Origin    unknown");
  for (const g of report.gaps) lines.push(`Gap       ${describeGap(g)}`);
  for (const hop of report.hops) {
    if (hop.fallback) lines.push(`Note      ${cell(hop.session.arn)}: ${cell(hop.fallback.reason, 200)} (${hop.fallback.candidates} candidate call(s) in ${hop.fallback.window.from} … ${hop.fallback.window.to})`);
  }
  if (report.skipped.length > 0) lines.push(`Skipped   ${report.skipped.length} file(s) could not be fully read (listed on stderr and in --format json)`);
  lines.push(`Chain     ${report.complete ? "complete" : "INCOMPLETE"}  (${report.hops.length} hop(s), ${report.stats.filesRead} file(s) read, ${report.stats.filesPruned} skipped by time/account, ${(report.stats.durationMs / 1000).toFixed(2)} s)`);
  return `${lines.join("\n")}\n`;
}

function hopTable(hops: readonly Hop[]): string {
  const table = new Table({
    head: ["#", "Issued (UTC)", "Account", "Region", "Role / session", "Caller", "Caller IP", "Matched by"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [4, 22, 14, 16, 36, 40, 18, 16],
  });
  hops.forEach((hop, i) => {
    table.push([
      String(i),
      cell(hop.assumeRole.eventTime),
      cell(hop.assumeRole.recipientAccountId),
      cell(hop.assumeRole.awsRegion),
      `${cell(hop.session.roleArn ?? hop.session.arn)}\nsession ${cell(hop.session.sessionName ?? hop.session.userName)}${hop.session.sourceIdentity ? `\nsourceIdentity ${cell(hop.session.sourceIdentity)}` : ""}`,
      `${describePrincipal(hop.caller)}${hop.crossAccount ? "\n(cross-account)" : ""}`,
      cell(hop.callerSourceIPAddress),
      `${hop.matchedBy}${hop.switchRole ? "\n+ SwitchRole" : ""}${hop.fallback ? "\n(fallback)" : ""}\n${cell(hop.assumeRole.eventName)} ${cell(hop.assumeRole.eventID)}`,
    ]);
  });
  return table.toString();
}

function describeEvent(event: EventRef): string {
  return `${cell(event.eventTime)}  ${cell(event.eventSource?.replace(".amazonaws.com", ""))}:${cell(event.eventName)}  ` +
    `account ${cell(event.recipientAccountId)}  ${cell(event.awsRegion)}  from ${cell(event.sourceIPAddress)}  eventID ${cell(event.eventID)}`;
}

function describePrincipal(p: Principal): string {
  const name = p.arn ?? (p.type === "AWSAccount" ? `account ${p.accountId}` : p.invokedBy ?? p.principalId);
  const extras = [
    p.mfaAuthenticated === null ? null : `MFA ${p.mfaAuthenticated ? "yes" : "no"}`,
    p.identityProvider ? `idp ${p.identityProvider}` : null,
    p.webIdentitySubject ? `subject ${p.webIdentitySubject}` : null,
    p.instanceId ? `instance ${p.instanceId}` : null,
  ].filter((x): x is string => x !== null);
  return `${cell(p.type)} ${cell(name)}${extras.length ? `\n${extras.map((x) => cell(x)).join(", ")}` : ""}`;
}

function describeOrigin(o: Origin): string {
  return `${describePrincipal(o).replace(/\n/g, ", ")}  from ${cell(o.sourceIPAddress)}  (${cell(o.userAgent, 60)})` +
    (o.sourceIdentity ? `  sourceIdentity ${cell(o.sourceIdentity)}` : "");
}

function describeGap(g: Gap): string {
  const where = g.searched
    ? `  [searched ${g.searched.eventNames?.join("/") ?? "all events"} in ${g.searched.accounts?.join(",") ?? "all accounts"}` +
      `${g.searched.window ? `, ${g.searched.window.from} … ${g.searched.window.to}` : ""}; ` +
      `the sources hold accounts ${g.searched.coverage.accounts.join(",") || "none"}, regions ${g.searched.coverage.regions.join(",") || "none"}` +
      `${g.searched.coverage.earliestEventTime ? `, events ${g.searched.coverage.earliestEventTime} … ${g.searched.coverage.latestEventTime}` : ""}]`
    : "";
  return `${g.reason}${g.hop !== null ? ` at hop ${g.hop}` : ""}: ${cell(g.message, 400)}${cell(where, 600).replace(/^-$/, "")}`;
}
