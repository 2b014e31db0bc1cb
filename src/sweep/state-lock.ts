import { randomBytes } from "node:crypto";
import { open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";

/**
 * An exclusive lock next to a state file (`STATE.lock`), so two scheduled runs cannot both read
 * the same watermark and race to write the state. Created with O_EXCL (`wx`): exactly one process
 * can create it. It holds {pid, host, nonce, acquiredAt} so a lock left by a crashed run can be
 * recognised:
 * - same host and its pid is not running → stale at once;
 * - otherwise (another host on a shared folder, unreadable content) → stale once the file is older
 *   than `staleAfterMs` (default 6 h; no sweep of a day's logs should hold it that long).
 * A stale lock is removed only if it is still the very file judged stale (same nonce and inode).
 */
export interface StateLock {
  readonly path: string;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up. Default 2 s. */
  waitMs?: number;
  /** How often to retry while waiting. Default 100 ms. */
  pollMs?: number;
  /** Age after which a lock whose holder cannot be checked is stale. Default 6 h. */
  staleAfterMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  nonce: string;
  acquiredAt: string;
}

export const DEFAULT_LOCK_WAIT_MS = 2_000;
export const DEFAULT_LOCK_STALE_AFTER_MS = 6 * 3_600_000;

/** Another run holds the lock. */
export class StateLockedError extends Error {
  override readonly name = "StateLockedError";
  readonly lockPath: string;

  constructor(lockPath: string, holder: LockContent | null) {
    const who = holder ? ` by pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt}` : "";
    super(`${lockPath}: state file is locked${who}; another sweep is running on the same --state (remove the lock file only if no sweep is running)`);
    this.lockPath = lockPath;
  }
}

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

export async function acquireStateLock(statePath: string, options: LockOptions = {}): Promise<StateLock> {
  const path = lockPathFor(statePath);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const pollMs = Math.max(1, options.pollMs ?? 100);
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_LOCK_STALE_AFTER_MS;
  const deadline = Date.now() + waitMs;
  const mine: LockContent = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString("hex"), acquiredAt: new Date().toISOString() };

  for (;;) {
    if (await tryCreate(path, mine)) return heldLock(path, mine.nonce);
    const holder = await inspect(path);
    if (holder === "gone") continue;
    if (isStale(holder, staleAfterMs)) {
      await removeIfUnchanged(path, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new StateLockedError(path, holder.content);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}

async function tryCreate(path: string, content: LockContent): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(content)}\n`, "utf8");
  } finally {
    await handle.close();
  }
  return true;
}

interface Holder {
  content: LockContent | null;
  text: string;
  ino: number;
  mtimeMs: number;
}

async function inspect(path: string): Promise<Holder | "gone"> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, "utf8")]);
    return { content: parseLock(text), text, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
}

function parseLock(text: string): LockContent | null {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.nonce === "string") {
      return { pid: value.pid, host: value.host, nonce: value.nonce, acquiredAt: String(value.acquiredAt ?? "") };
    }
  } catch {
    /* being written right now, or not ours: judged by age */
  }
  return null;
}

function isStale(holder: Holder, staleAfterMs: number): boolean {
  if (holder.content && holder.content.host === hostname()) return !isRunning(holder.content.pid);
  return Date.now() - holder.mtimeMs > staleAfterMs;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeIfUnchanged(path: string, judged: Holder): Promise<void> {
  const now = await inspect(path);
  if (now === "gone" || now.ino !== judged.ino || now.text !== judged.text) return;
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

function heldLock(path: string, nonce: string): StateLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const holder = await inspect(path).catch(() => "gone" as const);
      if (holder !== "gone" && holder.content?.nonce === nonce) await unlink(path).catch(() => undefined);
    },
  };
}
