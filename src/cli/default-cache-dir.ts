import { homedir } from "node:os";
import path from "node:path";

/** Per-user cache, as XDG asks: downloaded S3 objects outlive the run so the next trace of an incident is quick. */
export function defaultS3CacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheBase(env), "rolechain", "s3");
}

/** Where the local source's index lives: beside the S3 cache, never inside the folders traced. */
export function defaultIndexDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheBase(env), "rolechain", "index");
}

function cacheBase(env: NodeJS.ProcessEnv): string {
  return env["XDG_CACHE_HOME"] && path.isAbsolute(env["XDG_CACHE_HOME"]) ? env["XDG_CACHE_HOME"] : path.join(homedir(), ".cache");
}
