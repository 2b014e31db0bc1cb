import { homedir } from "node:os";
import path from "node:path";

/** Per-user cache, as XDG asks: downloaded S3 objects outlive the run so the next trace of an incident is quick. */
export function defaultS3CacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CACHE_HOME"] && path.isAbsolute(env["XDG_CACHE_HOME"]) ? env["XDG_CACHE_HOME"] : path.join(homedir(), ".cache");
  return path.join(base, "rolechain", "s3");
}
