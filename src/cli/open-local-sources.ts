import type { EventSource } from "../sources/event-source.js";

/**
 * The local source over every --source path (overlapping paths are then read once). Problems with
 * single files go to `say` as they are found; a path that cannot be read at all is said once and
 * gives null, for the command's "unreadable source" exit code.
 */
export async function openLocalSources(
  paths: readonly string[], deliverySlackMs: number, say: (line: string) => void,
): Promise<EventSource | null> {
  // Loaded here, not at start-up: `--help` must stay fast.
  const [{ createLocalSource }, { SourceUnavailableError }] = await Promise.all([
    import("../sources/local/local-source.js"),
    import("../sources/source-errors.js"),
  ]);
  try {
    return await createLocalSource(paths, { deliverySlackMs, onProblem: (p) => say(`${p.location}: ${p.reason}`) });
  } catch (error) {
    if (error instanceof SourceUnavailableError) {
      say(error.message);
      return null;
    }
    throw error;
  }
}
