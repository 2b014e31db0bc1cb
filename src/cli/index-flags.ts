import type { Argv } from "yargs";

/** The flags of the local source's persistent index (src/sources/local/local-index.ts). */
export interface IndexFlagArgs {
  indexDir?: string;
  /** yargs turns --no-index into index: false. */
  index?: boolean;
}

export function indexFlagOptions<T>(y: Argv<T>) {
  return y
    .option("index-dir", { type: "string", describe: "Local sources: where the index of files already read is kept, so the next trace reads only what it needs (default: $XDG_CACHE_HOME/rolechain/index or ~/.cache/rolechain/index)" })
    .option("index", { type: "boolean", default: true, describe: "Local sources: --no-index reads every file its name allows and keeps no index" });
}
