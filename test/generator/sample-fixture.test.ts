import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../../src/generator/generate-corpus.js";
import type { ScenariosFile } from "../../src/generator/expected-trace.js";
import { readCorpus, type Corpus } from "./helpers/read-corpus.js";

const SAMPLE = resolve(import.meta.dirname, "../../fixtures/sample");
let dir: string;
let fresh: Corpus;
let freshScenarios: string;
let freshSweepConfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rolechain-sample-"));
  const corpus = await generateCorpus({ outDir: dir });
  fresh = readCorpus(corpus.logsDir);
  freshScenarios = readFileSync(corpus.scenariosFile, "utf8");
  freshSweepConfig = readFileSync(corpus.sweepConfigFile, "utf8");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fixtures/sample", () => {
  it("is what the generator produces with default options (regenerate: npx tsx src/generator/cli.ts --out fixtures/sample)", () => {
    const committed = readCorpus(join(SAMPLE, "logs"));
    expect(readFileSync(join(SAMPLE, "scenarios.json"), "utf8")).toBe(freshScenarios);
    expect(readFileSync(join(SAMPLE, "sweep-config.json"), "utf8")).toBe(freshSweepConfig);
    // Compared decompressed: gzip bytes may differ between zlib builds, the CloudTrail text must not.
    const text = (c: Corpus) => new Map([...c.logFiles.map((f) => [f.key, f.text] as const), ...c.digestFiles.map((f) => [f.key, JSON.stringify(f.body)] as const)]);
    const [a, b] = [text(committed), text(fresh)];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [key, value] of a) expect(value === b.get(key), key).toBe(true);
  });

  it("stays small and covers at least two days", () => {
    const uncompressed = fresh.logFiles.reduce((sum, f) => sum + f.text.length, 0);
    expect(uncompressed).toBeLessThan(8 * 1024 * 1024);
    const days = new Set(fresh.logFiles.map((f) => f.datePath));
    expect(days.size).toBeGreaterThanOrEqual(2);
  });

  it("has a README naming every scenario's subject, every sweep finding and the demo incident", () => {
    const readme = readFileSync(join(SAMPLE, "README.md"), "utf8");
    const scenarios = (JSON.parse(freshScenarios) as ScenariosFile).scenarios;
    for (const s of scenarios) expect(readme, s.name).toContain(`| \`${s.name}\` | \`${s.subjectEventId}\``);
    const findings = (JSON.parse(freshScenarios) as ScenariosFile).findings;
    expect(findings.length).toBeGreaterThan(0);
    const sweepSection = readme.split("## Sweep findings")[1] ?? "";
    for (const f of findings) expect(sweepSection, f.scenario).toContain(`| \`${f.kind}\` | \`${f.eventID}\` | ${f.eventTime} | \`${f.scenario}\` |`);
    const demo = scenarios.find((s) => s.name === "saml-multi-account")!;
    const demoSection = readme.split("## Demo incident")[1]?.split("\n## ")[0] ?? "";
    expect(demoSection).toContain(demo.subjectEventId);
  });
});
