/** The findings of `sweep --format jsonl` output, parsed and ordered by id, for comparing two runs. */
export function sortedFindings(jsonl: string): { id: string }[] {
  return jsonl.trim().split("\n").filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string }).sort((a, b) => a.id.localeCompare(b.id));
}
