import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { publishedJsonSchemas } from "../../src/schema/json-schemas.js";

describe("published JSON Schemas", () => {
  it("docs/schema matches what the zod schemas generate (run `npm run schema` after changing them)", () => {
    for (const [name, schema] of Object.entries(publishedJsonSchemas())) {
      const committed: unknown = JSON.parse(readFileSync(`docs/schema/${name}`, "utf8"));
      expect(committed, name).toEqual(schema);
    }
  });

  it("trace.v1 requires the contract's top-level fields and names every gap reason", () => {
    const schema = publishedJsonSchemas()["trace.v1.json"] as { required: string[]; $defs: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    expect(schema.required).toEqual(["schema", "sources", "subject", "hops", "origin", "complete", "gaps", "skipped", "stats"]);
    expect(schema.$defs.Gap?.properties.reason?.enum).toContain("caller-account-logs-missing");
  });
});
