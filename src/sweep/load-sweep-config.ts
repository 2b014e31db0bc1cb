import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { parseDuration } from "../core/cloudtrail-time.js";
import { SweepConfigSchema, type SweepConfig } from "../schema/sweep-config.js";

/**
 * A sweep config that cannot be used. `lines` are complete one-line messages (without the
 * "rolechain: " prefix), each naming the file and, for a wrong field, its path: `sweep.json:
 * allow[1].callerAccount: an AWS account id is 12 digits`.
 */
export class SweepConfigError extends Error {
  override readonly name = "SweepConfigError";
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join("\n"));
    this.lines = lines;
  }
}

/** The config as validated, plus the overlap parsed to milliseconds. */
export interface LoadedSweepConfig {
  config: SweepConfig;
  overlapMs: number;
}

/** Reads and validates a JSON sweep config. Throws SweepConfigError; never returns a half-valid config. */
export async function loadSweepConfig(path: string): Promise<LoadedSweepConfig> {
  if (/\.ya?ml$/i.test(path)) {
    throw new SweepConfigError([`${path}: YAML is not supported; write the config as JSON (see docs/sweep.md)`]);
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SweepConfigError([`${path}: cannot read: ${errorText(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SweepConfigError([`${path}: not valid JSON: ${errorText(error)}`]);
  }
  return validateSweepConfig(json, path);
}

/** Pure: validates an already-parsed config. `label` names the file in messages. */
export function validateSweepConfig(json: unknown, label: string): LoadedSweepConfig {
  // A top-level "$schema" lets editors offer completion from docs/schema/sweep-config.v1.json.
  const input = isPlainObject(json) && typeof json["$schema"] === "string" ? withoutKey(json, "$schema") : json;
  const result = SweepConfigSchema.safeParse(input);
  if (!result.success) {
    throw new SweepConfigError(result.error.issues.flatMap((issue) => issueLines(issue).map((line) => `${label}: ${line}`)));
  }
  const overlapMs = parseDuration(result.data.overlap);
  if (overlapMs === null || overlapMs < 0) {
    throw new SweepConfigError([`${label}: overlap: "${result.data.overlap}" is not a duration such as 90m, 1h or 2d`]);
  }
  return { config: result.data, overlapMs };
}

/** One zod issue → one line per offending field ("allow[1].callerAccount: …"). */
function issueLines(issue: z.core.$ZodIssue): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field (fields are case-sensitive; see docs/sweep.md)`);
  }
  return [`${formatPath(issue.path)}: ${describeIssue(issue)}`];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (/received undefined$/.test(issue.message)) return `missing (expected ${issue.expected})`;
    return issue.message.replace(/^Invalid input: /, "");
  }
  if (issue.code === "too_small" && issue.origin === "array") return `needs at least ${String(issue.minimum)} entry`;
  if (issue.code === "too_small" && issue.origin === "string") return "must not be empty";
  return issue.message;
}

/** ["allow", 1, "callerAccount"] → "allow[1].callerAccount"; [] → "(top level)". */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutKey(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
}
