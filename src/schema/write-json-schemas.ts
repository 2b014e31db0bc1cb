#!/usr/bin/env node
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publishedJsonSchemas } from "./json-schemas.js";

// `npm run schema`: regenerates docs/schema/*.json from the zod schemas.
const outDir = process.argv[2] ?? "docs/schema";
mkdirSync(outDir, { recursive: true });
for (const [name, schema] of Object.entries(publishedJsonSchemas())) {
  writeFileSync(join(outDir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${join(outDir, name)}`);
}
