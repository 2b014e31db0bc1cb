import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { externalCorpusDir, hasExternalCorpus } from "../../helpers/external-corpus.js";

/**
 * Real CloudTrail records written by other people (shared/corpus/external, next to the clone in
 * CI). They must load as NDJSON without a skipped file; records without eventID (Logstash-style
 * exports, some doc snippets) are the only thing left out.
 */
const corpusRoot = externalCorpusDir;
const corpusFiles = hasExternalCorpus
  ? readdirSync(corpusRoot).sort().map((name) => path.join(corpusRoot, name, "events.jsonl")).filter((file) => existsSync(file))
  : [];

/** What the files hold, counted independently of the source. */
function census() {
  let records = 0;
  let withoutEventId = 0;
  let withoutEventTime = 0;
  const eventIds = new Set<string>();
  for (const file of corpusFiles) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const record = JSON.parse(line) as Record<string, unknown>;
      records++;
      if (typeof record["eventID"] === "string" && record["eventID"] !== "") eventIds.add(record["eventID"]);
      else withoutEventId++;
      if (typeof record["eventTime"] !== "string") withoutEventTime++;
    }
  }
  return { records, withoutEventId, withoutEventTime, eventIds };
}

describe.skipIf(corpusFiles.length === 0)("the external corpus of real records", () => {
  it("loads as NDJSON with no skipped file, returning every record that has an eventID", async () => {
    const expected = census();
    const source = await createLocalSource(corpusFiles);
    const [answer] = await source.query([{}]);
    const problems = source.problems();

    expect(problems.filter((p) => p.effect === "skipped")).toEqual([]);
    expect(new Set(answer!.events.map((e) => e.eventID))).toEqual(expected.eventIds);
    expect(source.stats()).toMatchObject({ unitsRead: corpusFiles.length, recordsScanned: expected.records });
    // Every record without an eventID is accounted for by a "partial" problem on its file.
    const skipped = problems.reduce((sum, p) => sum + Number(/^(\d+) of \d+ records skipped/.exec(p.reason)?.[1] ?? 0), 0);
    expect(skipped).toBe(expected.withoutEventId);

    console.info(`external corpus: ${corpusFiles.length} files, ${expected.records} records, `
      + `${expected.withoutEventId} without eventID, ${expected.withoutEventTime} without eventTime; `
      + `${answer!.events.length} returned; coverage ${answer!.coverage.earliestEventTime} … ${answer!.coverage.latestEventTime}`);
    for (const problem of problems) console.info(`  ${path.relative(corpusRoot, problem.location)}: ${problem.reason}`);
  });
});
