import { z } from "zod";
import { FindingSchema } from "./finding.js";
import { SweepConfigSchema } from "./sweep-config.js";
import { SweepReportSchema } from "./sweep-report.js";
import { TraceReportSchema } from "./trace-report.js";

/** Every published JSON Schema, by its file name under docs/schema/. Generated, never hand-edited. */
export function publishedJsonSchemas(): Record<string, unknown> {
  return {
    "trace.v1.json": {
      $id: "urn:rolechain:schema:trace:v1",
      title: "rolechain.trace/v1",
      ...z.toJSONSchema(TraceReportSchema, { target: "draft-2020-12" }),
    },
    "finding.v1.json": {
      $id: "urn:rolechain:schema:finding:v1",
      title: "rolechain.finding/v1",
      ...z.toJSONSchema(FindingSchema, { target: "draft-2020-12" }),
    },
    "sweep.v1.json": {
      $id: "urn:rolechain:schema:sweep:v1",
      title: "rolechain.sweep/v1",
      ...z.toJSONSchema(SweepReportSchema, { target: "draft-2020-12" }),
    },
    // The file users write: fields with defaults are optional ("input" side of the schema).
    "sweep-config.v1.json": {
      $id: "urn:rolechain:schema:sweep-config:v1",
      title: "rolechain sweep config",
      ...z.toJSONSchema(SweepConfigSchema, { target: "draft-2020-12", io: "input" }),
    },
  };
}
