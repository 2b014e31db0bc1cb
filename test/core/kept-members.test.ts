import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../../src/core/cloudtrail-event.js";
import { KEPT_MEMBERS, keepMembers } from "../../src/core/kept-members.js";

const SRC = path.resolve(import.meta.dirname, "../../src");
const OBJECTS = "requestParameters|responseElements|additionalEventData";
/** A reader on one of the three objects: stringField(e.requestParameters, "roleArn"), stringAt(e.responseElements, "a", "b"). */
const DIRECT_READ = new RegExp(`\\b(?:stringField|stringAt|ownField|objectField)\\(\\s*[\\w?.]+\\.(${OBJECTS})\\s*,\\s*((?:"[^"]+"\\s*,?\\s*)+)\\)`, "g");
/** A read through objectField: ownField(objectField(e.responseElements, "role"), "assumeRolePolicyDocument"). */
const NESTED_READ = new RegExp(`\\b(?:stringField|stringAt|ownField|objectField)\\(\\s*objectField\\(\\s*[\\w?.]+\\.(${OBJECTS})\\s*,\\s*"([^"]+)"\\s*\\)\\s*,\\s*((?:"[^"]+"\\s*,?\\s*)+)\\)`, "g");
const ANY_ACCESS = new RegExp(`\\.(${OBJECTS})\\b`, "g");

interface Read { file: string; object: string; members: string[] }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generator" ? [] : sourceFiles(full); // the generator writes records, never reads events
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const literals = (list: string): string[] => [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);

/** Every read of the three objects under src/, and every access to them that is not such a read. */
function scanSources(): { reads: Read[]; unrecognised: string[] } {
  const reads: Read[] = [];
  const unrecognised: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file.endsWith(path.join("core", "cloudtrail-event.ts"))) continue; // where they are built
    const text = readFileSync(file, "utf8");
    const covered: [number, number][] = [];
    const rel = path.relative(SRC, file);
    for (const m of text.matchAll(NESTED_READ)) {
      reads.push({ file: rel, object: m[1]!, members: [m[2]!, ...literals(m[3]!)] });
      covered.push([m.index, m.index + m[0].length]);
    }
    for (const m of text.matchAll(DIRECT_READ)) {
      if (covered.some(([from, to]) => m.index >= from && m.index < to)) continue;
      reads.push({ file: rel, object: m[1]!, members: literals(m[2]!) });
      covered.push([m.index, m.index + m[0].length]);
    }
    for (const m of text.matchAll(ANY_ACCESS)) {
      if (!covered.some(([from, to]) => m.index >= from && m.index < to)) {
        const line = text.slice(0, m.index).split("\n").length;
        unrecognised.push(`${rel}:${line}`);
      }
    }
  }
  return { reads, unrecognised };
}

type Spec = { readonly [name: string]: true | Spec };

/** Whether reading `members` (a path) finds what keepMembers kept: the path ends on or inside a member kept whole. */
function isKept(spec: Spec, members: readonly string[]): boolean {
  const [first, ...rest] = members;
  const inner = first === undefined ? undefined : spec[first];
  if (inner === undefined) return false;
  if (inner === true) return true;
  return rest.length > 0 && isKept(inner, rest);
}

function leafPaths(spec: Spec, prefix: string[] = []): string[][] {
  return Object.entries(spec).flatMap(([name, inner]) => (inner === true ? [[...prefix, name]] : leafPaths(inner, [...prefix, name])));
}

describe("KEPT_MEMBERS matches what src/ reads", () => {
  const { reads, unrecognised } = scanSources();

  it("finds the reads (the scan itself works)", () => {
    // 25 at the time of writing; a scan that found few would make the checks below vacuous.
    expect(reads.length).toBeGreaterThanOrEqual(20);
    expect(reads.some((r) => r.object === "additionalEventData")).toBe(true);
    expect(reads.some((r) => r.members.join(".") === "role.assumeRolePolicyDocument")).toBe(true);
  });

  it("every access to the three objects is a read it recognises", () => {
    // Anything else (a destructuring, a variable holding the object) could read a member the scan cannot see.
    expect(unrecognised).toEqual([]);
  });

  it("every member read is kept by normalizeRecord", () => {
    const dropped = reads.filter((r) => !isKept(KEPT_MEMBERS[r.object as keyof typeof KEPT_MEMBERS], r.members))
      .map((r) => `${r.file}: ${r.object}.${r.members.join(".")}`);
    expect(dropped).toEqual([]);
  });

  it("every member kept is read somewhere (nothing held for no reader)", () => {
    const unread = Object.entries(KEPT_MEMBERS).flatMap(([object, spec]) => leafPaths(spec)
      .filter((leaf) => !reads.some((r) => r.object === object && r.members.join(".") === leaf.join(".")))
      .map((leaf) => `${object}.${leaf.join(".")}`));
    expect(unread).toEqual([]);
  });
});

describe("keepMembers", () => {
  it("keeps listed members, whole or in part, and nothing else", () => {
    const source = { a: 1, b: { x: "x", y: "y" }, c: { deep: { z: 1 } }, dropped: "no" };
    expect(keepMembers(source, { a: true, b: { x: true }, c: true, missing: true })).toEqual({ a: 1, b: { x: "x" }, c: { deep: { z: 1 } } });
    expect(source).toEqual({ a: 1, b: { x: "x", y: "y" }, c: { deep: { z: 1 } }, dropped: "no" });
  });

  it("is null when nothing is kept, but keeps a kept object whose members are all dropped", () => {
    expect(keepMembers({ dropped: 1 }, { a: true })).toBeNull();
    expect(keepMembers({}, { a: true })).toBeNull();
    expect(keepMembers({ b: { y: 1 } }, { b: { x: true } })).toEqual({ b: {} });
  });

  it("keeps a member that should be an object but is not as it is", () => {
    expect(keepMembers({ b: '{"x":"x"}' }, { b: { x: true } })).toEqual({ b: '{"x":"x"}' });
    expect(keepMembers({ b: null }, { b: { x: true } })).toEqual({ b: null });
  });

  it("reads own members only", () => {
    const source = JSON.parse('{"__proto__": {"roleArn": "polluted"}}') as Record<string, unknown>;
    expect(keepMembers(source, { roleArn: true })).toBeNull();
    expect(keepMembers(null, { roleArn: true })).toBeNull();
  });
});

describe("normalizeRecord keeps only KEPT_MEMBERS", () => {
  it("drops the session token, unread credentials and additionalEventData details", () => {
    const result = normalizeRecord({
      eventID: "e1", eventName: "AssumeRole",
      requestParameters: { roleArn: "arn:aws:iam::111111111111:role/A", roleSessionName: "s", durationSeconds: 3600, tags: [{ key: "k", value: "v" }] },
      responseElements: {
        credentials: { accessKeyId: "ASIAEXAMPLE", sessionToken: "secret-token", expiration: "Nov 17, 2026, 6:00:51 AM" },
        assumedRoleUser: { assumedRoleId: "AROAEXAMPLE:s", arn: "arn:aws:sts::111111111111:assumed-role/A/s" },
        packedPolicySize: 12,
      },
      additionalEventData: { RequestDetails: { endpointType: "regional" }, SwitchFrom: "arn:aws:iam::111111111111:user/u" },
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event.requestParameters).toEqual({ roleArn: "arn:aws:iam::111111111111:role/A", roleSessionName: "s" });
    expect(result.event.responseElements).toEqual({
      credentials: { accessKeyId: "ASIAEXAMPLE" },
      assumedRoleUser: { arn: "arn:aws:sts::111111111111:assumed-role/A/s" },
    });
    expect(result.event.additionalEventData).toEqual({ SwitchFrom: "arn:aws:iam::111111111111:user/u" });
  });
});
