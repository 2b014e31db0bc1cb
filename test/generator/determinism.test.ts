import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../../src/generator/generate-corpus.js";

const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

async function generate(seed: number): Promise<{ files: Map<string, Buffer>; scenarios: Buffer; sweepConfig: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), "rolechain-det-"));
  dirs.push(dir);
  const corpus = await generateCorpus({ outDir: dir, seed, targetBytes: 1024 * 1024 });
  const files = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(relative(corpus.logsDir, full), readFileSync(full));
    }
  };
  walk(corpus.logsDir);
  return { files, scenarios: readFileSync(corpus.scenariosFile), sweepConfig: readFileSync(corpus.sweepConfigFile) };
}

describe("determinism", () => {
  it("gives byte-identical logs and scenarios.json for the same options, and different ones for another seed", async () => {
    const [a, b, c] = await Promise.all([generate(5), generate(5), generate(6)]);
    expect([...a.files.keys()].sort()).toEqual([...b.files.keys()].sort());
    for (const [path, bytes] of a.files) expect(bytes.equals(b.files.get(path)!), path).toBe(true);
    expect(a.scenarios.equals(b.scenarios)).toBe(true);
    expect(a.sweepConfig.equals(b.sweepConfig)).toBe(true);

    expect(c.scenarios.equals(a.scenarios)).toBe(false);
    const aIds = (JSON.parse(a.scenarios.toString()) as { scenarios: { subjectEventId: string }[] }).scenarios.map((s) => s.subjectEventId);
    const cIds = (JSON.parse(c.scenarios.toString()) as { scenarios: { subjectEventId: string }[] }).scenarios.map((s) => s.subjectEventId);
    expect(cIds.filter((id) => aIds.includes(id))).toEqual([]);
    const findingIds = (s: Buffer) => (JSON.parse(s.toString()) as { findings: { eventID: string }[] }).findings.map((f) => f.eventID);
    expect(findingIds(a.scenarios).length).toBeGreaterThan(0);
    expect(findingIds(c.scenarios).filter((id) => findingIds(a.scenarios).includes(id))).toEqual([]);
    const sharedNames = [...c.files.keys()].filter((k) => a.files.has(k));
    expect(sharedNames.length).toBeLessThan(a.files.size / 10);
  });
});
