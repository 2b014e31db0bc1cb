import { z } from "zod";
import { TraceReportSchema } from "./trace-report.js";

/** Every published JSON Schema, by its file name under docs/schema/. Generated, never hand-edited. */
export function publishedJsonSchemas(): Record<string, unknown> {
  return {
    "trace.v1.json": {
      $id: "urn:rolechain:schema:trace:v1",
      title: "rolechain.trace/v1",
      ...z.toJSONSchema(TraceReportSchema, { target: "draft-2020-12" }),
    },
  };
}
