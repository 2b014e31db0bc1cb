/**
 * What a responder writes by hand: decompress the files and let jq find the AssumeRole* that issued
 * one session ARN. Prints both copies of a cross-account call (role owner's and caller's).
 */
import { join } from "node:path";
import { writeFileList, type FileSet } from "./file-sets.js";
import { describeFailure, runTimed } from "./timed-process.js";

export const JQ_FILTER = 'select(.Records) | .Records[] | select((.eventName|startswith("AssumeRole")) and .responseElements.assumedRoleUser.arn == $arn)';
const PIPELINE = 'set -o pipefail; xargs -0 /usr/bin/zcat < "$1" | /usr/bin/jq -c --arg arn "$2" "$3"';

export interface LookupResult {
  seconds: number;
  /** eventIDs of the records found, sorted. */
  eventIds: string[];
}

export async function jqLookup(set: FileSet, sessionArn: string, scratchDir: string): Promise<LookupResult> {
  const list = writeFileList(set.paths, join(scratchDir, "jq.list"));
  const run = await runTimed("bash", ["-c", PIPELINE, "jq-lookup", list, sessionArn, JQ_FILTER]);
  if (run.exitCode !== 0) throw new Error(describeFailure(`zcat | jq over ${set.name}`, run));
  const eventIds = run.stdout.split("\n").filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { eventID: string }).eventID).sort();
  return { seconds: run.seconds, eventIds };
}
