import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CloudTrailEvent } from "../../../src/core/cloudtrail-event.js";
import { detectFindings, SWEEP_EVENT_NAMES } from "../../../src/core/sweep/detect-findings.js";
import { createFindingDetector } from "../../../src/core/sweep/finding-detector.js";
import { knownRoleArns } from "../../../src/core/sweep/role-arns.js";
import { SweepConfigSchema } from "../../../src/schema/sweep-config.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { assumeRoleEvent, assumeRoleWithSamlEvent, samlUserIdentity } from "../../helpers/cloudtrail-records.js";
import { ORG_A, ORG_B, PROD_ADMIN, STRANGER, crossCall, events, id, sessionOf, sweepConfig, user } from "./sweep-fixtures.js";

function feed(detector: { add(event: CloudTrailEvent): void }, all: readonly CloudTrailEvent[]): void {
  for (const event of all) detector.add(event);
}

describe("createFindingDetector", () => {
  it("finds what detectFindings finds over the sample organisation, and holds only what a finding can use", async () => {
    const source = await createLocalSource(["fixtures/sample/logs"], { useIndex: false });
    const timeRange = { startMs: Date.parse("2026-11-15T00:00:00Z"), endMs: Date.parse("2026-11-19T00:00:00Z") };
    const [answer] = await source.query([{ eventNames: [...SWEEP_EVENT_NAMES], timeRange }]);
    const seen = new Set<string>();
    const all = answer!.events.filter((e) => !seen.has(e.eventID) && seen.add(e.eventID));
    const config = SweepConfigSchema.parse(JSON.parse(readFileSync("fixtures/sample/sweep-config.json", "utf8")));
    const expected = detectFindings(all, config);
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const detector = createFindingDetector(config);
    feed(detector, all);
    expect(detector.findings(knownRoleArns(all))).toEqual(expected);
    // The organisation's own role assumptions and expected web identities are let go as they come.
    expect(all.length).toBeGreaterThan(500);
    expect(detector.held).toBeLessThan(all.length / 10);
  });

  it("keeps both copies of a call that breaks a rule, and lets admitted, same-account and SAML calls go", () => {
    const stranger = crossCall("stranger", STRANGER, PROD_ADMIN);
    const internal = crossCall("internal", ORG_A, PROD_ADMIN);
    const sameAccount = assumeRoleEvent({ caller: user(ORG_B, "ops"), session: sessionOf(PROD_ADMIN, "ops"), eventID: id("same-account") });
    const saml = assumeRoleWithSamlEvent({
      caller: samlUserIdentity({ nameQualifier: "a1b2c3", subject: "priya@example.com" }),
      session: sessionOf(PROD_ADMIN, "priya@example.com"),
      samlProviderArn: `arn:aws:iam::${ORG_B}:saml-provider/Okta`, eventID: id("saml"),
    });
    const all = events(stranger.ownerCopy, stranger.callerCopy, internal.ownerCopy, internal.callerCopy, sameAccount, saml);
    const detector = createFindingDetector(sweepConfig());
    feed(detector, all);
    expect(detector.held).toBe(2);
    const found = detector.findings(knownRoleArns(all));
    expect(found).toEqual(detectFindings(all, sweepConfig()));
    expect(found.map((d) => d.finding.eventID)).toEqual([id("stranger:owner")]);
    // Judged as a pair: the caller's own copy names who called, and the trace starts there.
    expect(found[0]!.finding.callerArn).toBe(`arn:aws:iam::${STRANGER}:user/stranger-user`);
    expect(found[0]!.traceFromEventId).toBe(id("stranger:caller"));
  });
});
