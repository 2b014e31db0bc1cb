import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatPath, loadSweepConfig, SweepConfigError, validateSweepConfig } from "../../src/sweep/load-sweep-config.js";
import { writeConfig } from "./sweep-test-kit.js";

const dir = mkdtempSync(join(tmpdir(), "rolechain-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorLines(config: unknown, name = "sweep.json"): Promise<readonly string[]> {
  const path = writeConfig(dir, config, name);
  try {
    await loadSweepConfig(path);
  } catch (error) {
    if (error instanceof SweepConfigError) return error.lines.map((l) => l.replace(`${dir}/`, ""));
    throw error;
  }
  throw new Error("expected a SweepConfigError");
}

describe("sweep config", () => {
  it("accepts a full config and fills the defaults", async () => {
    const path = writeConfig(dir, {
      $schema: "../docs/schema/sweep-config.v1.json",
      trustedAccounts: ["111111111111", "222222222222"],
      allow: [{ callerAccount: "999999999999", roleArn: "arn:aws:iam::111111111111:role/VendorAudit", note: "ticket 42" }],
    });
    const loaded = await loadSweepConfig(path);
    expect(loaded.config.trustedAccounts).toEqual(["111111111111", "222222222222"]);
    expect(loaded.config.webIdentity).toEqual([]);
    expect(loaded.config.overlap).toBe("1h");
    expect(loaded.overlapMs).toBe(3_600_000);
  });

  it("a missing trustedAccounts names the field", async () => {
    expect(await errorLines({ allow: [] })).toEqual(["sweep.json: trustedAccounts: missing (expected array)"]);
  });

  it("a bad account id names the field path, one line per problem", async () => {
    const lines = await errorLines({
      trustedAccounts: ["111111111111"],
      allow: [
        { callerAccount: "999999999999", roleArn: "arn:aws:iam::111111111111:role/A" },
        { callerAccount: "9999", roleArn: "arn:aws:iam::111111111111:role/B" },
      ],
    });
    expect(lines).toEqual(["sweep.json: allow[1].callerAccount: an AWS account id is 12 digits"]);
  });

  it("an unknown field is an error, not ignored (a typo must not silently widen what is allowed)", async () => {
    const lines = await errorLines({ trustedAccounts: ["111111111111"], allowed: [], allow: [{ callerAccount: "999999999999", roleArn: "*", roleARN: "x" }] });
    expect([...lines].sort()).toEqual([
      "sweep.json: allow[0].roleARN: unknown field (fields are case-sensitive; see docs/sweep.md)",
      "sweep.json: allowed: unknown field (fields are case-sensitive; see docs/sweep.md)",
    ]);
  });

  it("an empty trustedAccounts and a bad overlap are named", async () => {
    expect(await errorLines({ trustedAccounts: [] })).toEqual(["sweep.json: trustedAccounts: needs at least 1 entry"]);
    expect(await errorLines({ trustedAccounts: ["111111111111"], overlap: "an hour" })).toEqual([
      'sweep.json: overlap: "an hour" is not a duration such as 90m, 1h or 2d',
    ]);
  });

  it("invalid JSON, an unreadable file and YAML are one line naming the file", async () => {
    const json = await errorLines('{"trustedAccounts": ["111111111111",]}');
    expect(json).toHaveLength(1);
    expect(json[0]).toMatch(/^sweep\.json: not valid JSON: /);
    await expect(loadSweepConfig(join(dir, "missing.json"))).rejects.toThrow(/missing\.json: cannot read: ENOENT/);
    const yaml = await errorLines("trustedAccounts: ['111111111111']", "sweep.yaml");
    expect(yaml).toEqual(["sweep.yaml: YAML is not supported; write the config as JSON (see docs/sweep.md)"]);
  });

  it("a config that is not an object says so at the top level", () => {
    expect(() => validateSweepConfig([], "c.json")).toThrow("c.json: (top level): expected object, received array");
  });

  it("formats zod paths the way people write them", () => {
    expect(formatPath(["allow", 1, "callerAccount"])).toBe("allow[1].callerAccount");
    expect(formatPath(["trustedAccounts", 0])).toBe("trustedAccounts[0]");
    expect(formatPath([])).toBe("(top level)");
  });
});
