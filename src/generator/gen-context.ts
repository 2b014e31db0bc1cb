import type { IdFactory } from "./ids.js";
import type { OrgModel } from "./org-model.js";
import type { Prng } from "./prng.js";

/** What every record builder draws from: one PRNG stream, ids cut from it, and the org. */
export interface GenContext {
  rng: Prng;
  ids: IdFactory;
  org: OrgModel;
}
