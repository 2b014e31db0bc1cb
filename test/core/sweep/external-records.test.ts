import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRecord, recordAccountId, type CloudTrailEvent } from "../../../src/core/cloudtrail-event.js";
import { detectFindings, SWEEP_EVENT_NAMES } from "../../../src/core/sweep/detect-findings.js";
import type { SweepConfig } from "../../../src/schema/sweep-config.js";
import { FindingSchema } from "../../../src/schema/finding.js";
import { externalCorpusDir, hasExternalCorpus } from "../../helpers/external-corpus.js";

// Real records written by other projects (../shared/corpus/external, read in place, never copied here).
const corpusDir = externalCorpusDir;
// Skipped, not failed, in a clone without shared/ next to it.
const describeWithExternalCorpus = describe.skipIf(!hasExternalCorpus);

function eventsOf(sourceName: string): CloudTrailEvent[] {
  // Suites are collected even when skipped: without the corpus there is nothing to read.
  if (!hasExternalCorpus) return [];
  return readFileSync(resolve(corpusDir, sourceName, "events.jsonl"), "utf8").split("\n").filter((l) => l.trim())
    .map((line) => normalizeRecord(JSON.parse(line) as unknown))
    .flatMap((r) => (r.ok ? [r.event] : []));
}

/** What a source hands the sweep: the swept event names only. */
function swept(events: readonly CloudTrailEvent[]): CloudTrailEvent[] {
  return events.filter((e) => (SWEEP_EVENT_NAMES as readonly string[]).includes(e.eventName));
}

/** Every account whose logs are in the sample is "ours" (config objects here skip the 12-digit check: samples are anonymised). */
function trustingEveryRecipient(events: readonly CloudTrailEvent[], extra: Partial<SweepConfig> = {}): SweepConfig {
  const accounts = [...new Set(events.map(recordAccountId).filter((a): a is string => a !== null))].sort();
  return { trustedAccounts: accounts, allow: [], webIdentity: [], overlap: "1h", ...extra };
}

describeWithExternalCorpus("Stratus Red Team detonation logs (DataDog/stratus-red-team)", () => {
  const events = swept(eventsOf("DataDog__stratus-red-team"));
  const backdoorAccount = "193672423079";

  it("the two trust-policy backdoors are the only findings, each naming the outside account", () => {
    const found = detectFindings(events, trustingEveryRecipient(events));
    expect(found.map((d) => ({
      kind: d.finding.kind, severity: d.finding.severity, eventName: d.finding.eventName, eventID: d.finding.eventID,
      roleArn: d.finding.roleArn, principals: d.finding.principals,
    }))).toEqual([
      {
        kind: "trust-policy-external-principal", severity: "high", eventName: "UpdateAssumeRolePolicy",
        eventID: "62e290e2-ee95-4a7c-a9f8-db4ef462b12d",
        // The record names the role only; its path is not logged.
        roleArn: "arn:aws:iam::751203476945:role/stratus-red-team-backdoor-r-role",
        principals: [{ element: "Principal", kind: "AWS", value: `arn:aws:iam::${backdoorAccount}:root`, accountId: backdoorAccount, conditionKeys: [] }],
      },
      {
        kind: "trust-policy-external-principal", severity: "high", eventName: "CreateRole",
        eventID: "d2905ac3-9898-433f-b10d-9302abe4e208",
        roleArn: "arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role",
        principals: [{ element: "Principal", kind: "AWS", value: `arn:aws:iam::${backdoorAccount}:root`, accountId: backdoorAccount, conditionKeys: [] }],
      },
    ]);
    for (const d of found) {
      expect(d.finding.callerArn).toMatch(/:user\/christophe$/);
      expect(d.traceFromEventId).toBe(d.finding.eventID);
    }
  });

  it("the same records are quiet once the outside account is trusted, or allowed for exactly those roles", () => {
    const base = trustingEveryRecipient(events);
    expect(detectFindings(events, { ...base, trustedAccounts: [...base.trustedAccounts, backdoorAccount] })).toEqual([]);
    const allow = [
      { callerAccount: backdoorAccount, roleArn: "arn:aws:iam::751203476945:role/stratus-red-team-backdoor-r-role" },
      { callerAccount: backdoorAccount, roleArn: "arn:aws:iam::609418236337:role/stratus-red-team-malicious-*" },
    ];
    expect(detectFindings(events, { ...base, allow })).toEqual([]);
  });
});

describeWithExternalCorpus("every external sample", () => {
  const sources = !hasExternalCorpus ? [] : readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it("gives schema-valid findings with bounded reasons and unique ids, whatever the record shapes", () => {
    let findings = 0;
    for (const name of sources) {
      const events = swept(eventsOf(name));
      const found = detectFindings(events, trustingEveryRecipient(events));
      findings += found.length;
      expect(new Set(found.map((d) => d.finding.id)).size, name).toBe(found.length);
      for (const { finding } of found) {
        expect(FindingSchema.safeParse(finding).success, `${name} ${finding.id}`).toBe(true);
        expect(finding.reason.length, `${name} ${finding.id}`).toBeLessThan(1200);
      }
    }
    expect(findings).toBeGreaterThan(0);
  });

  it("Panther's backdoor-role rule test: Principal * with only an ExternalId condition is critical; a service principal is nothing", () => {
    const events = swept(eventsOf("panther-labs__panther-analysis")).filter((e) => e.eventName === "UpdateAssumeRolePolicy");
    const found = detectFindings(events, trustingEveryRecipient(events)).map((d) => d.finding);
    const everyone = found.filter((f) => f.principals.some((p) => p.value === "*"));
    expect(everyone.length).toBeGreaterThan(0);
    expect(everyone.every((f) => f.severity === "critical" && f.principals[0]!.conditionKeys.includes("sts:externalid"))).toBe(true);
    const servicePolicy = events.filter((e) => JSON.stringify(e.requestParameters).includes("ec2.amazonaws.com"));
    expect(servicePolicy.length).toBeGreaterThan(0);
    expect(detectFindings(servicePolicy, trustingEveryRecipient(events))).toEqual([]);
  });
});
