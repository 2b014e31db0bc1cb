import type { SelectedColumn } from "./selected-columns.js";

/**
 * Rebuilds the CloudTrail record (camelCase, nested as in a trail file) from one result row, so
 * normalizeRecord treats it like any other record. NULL cells (null) leave the field out, as an
 * absent field in a log file would; a struct whose fields are all NULL is left out entirely.
 */
export function rowToRecord(columns: readonly SelectedColumn[], cells: readonly (string | null)[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = cells[i] ?? null;
    if (value === null || column.recordPath.length === 0) return;
    let target = record;
    for (const key of column.recordPath.slice(0, -1)) {
      const next = target[key];
      if (typeof next === "object" && next !== null) target = next as Record<string, unknown>;
      else target = (target[key] = {}) as Record<string, unknown>;
    }
    target[column.recordPath[column.recordPath.length - 1]!] = value;
  });
  return record;
}
