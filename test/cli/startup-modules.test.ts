import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-cli.js";

// What the built commands load, recorded by a module-loader hook. Start-up speed (`rolechain --help`
// under 150 ms) rests on its structure, so that is what this checks, not a time: start-up
// loads the bundle in dist/ (yargs included) and nothing from node_modules, none of the commands'
// implementation, and a local trace or sweep never loads the AWS SDK. See src/build/bundle-cli.mjs.

const demoEventId = "0da3f38a-0e62-48fa-ab53-b0572bc65aca";
const awsSdk = /\/node_modules\/@(aws-sdk|smithy|aws-crypto)\//;
/** Source folders only a running command needs; start-up must not evaluate any of them. */
const notAtStartup = /^src\/(sources|report|schema|sweep|generator)\//;

let hookDir: string;

beforeAll(() => {
  hookDir = mkdtempSync(join(tmpdir(), "rolechain-loads-"));
  writeFileSync(join(hookDir, "hooks.mjs"), [
    'import { appendFileSync } from "node:fs";',
    "let log;",
    "export function initialize(data) { log = data.log; }",
    'export async function load(url, context, nextLoad) { appendFileSync(log, url + "\\n"); return nextLoad(url, context); }',
  ].join("\n"));
  writeFileSync(join(hookDir, "register.mjs"), [
    'import { register } from "node:module";',
    'register("./hooks.mjs", import.meta.url, { data: { log: process.env.ROLECHAIN_TEST_LOAD_LOG } });',
  ].join("\n"));
});

afterAll(() => rmSync(hookDir, { recursive: true, force: true }));

interface Loads { status: number | null; stdout: string; stderr: string; files: string[]; builtins: string[] }

let runs = 0;
/** Runs a built command and returns what it loaded: files relative to the repo, and node: builtins. */
function runRecordingLoads(bin: "cli.js" | "trace-role-bin.js", args: readonly string[], env: NodeJS.ProcessEnv = {}): Loads {
  const log = join(hookDir, `loads-${runs++}.txt`);
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", join(hookDir, "register.mjs"), resolve(repoRoot, "dist", bin), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    // XDG_CACHE_HOME: whatever a command keeps between runs (S3 objects, the local index) stays here.
    env: { ...withoutAwsSettings(process.env), NO_COLOR: "1", XDG_CACHE_HOME: join(hookDir, "cache"), ...env, ROLECHAIN_TEST_LOAD_LOG: log },
  });
  const urls = readFileSync(log, "utf8").split("\n").filter((url) => url !== "");
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    files: urls.filter((url) => url.startsWith("file:")).map((url) => relative(repoRoot, fileURLToPath(url)).split("\\").join("/"))
      .filter((file) => !file.startsWith("..")), // the hook's own files
    builtins: urls.filter((url) => url.startsWith("node:")),
  };
}

/** The machine's own AWS settings (profiles, keys, endpoints) must never reach a test's command. */
function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("AWS_") || name === "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"));
}

/** The source modules bundled into the given built files, from their source maps. */
function sourcesOf(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const map = resolve(repoRoot, `${file}.map`);
    expect(existsSync(map), `${map}: the bundle's source map (npm run build writes it)`).toBe(true);
    const { sources } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
    return sources.map((source) => relative(repoRoot, resolve(repoRoot, file, "..", source)).split("\\").join("/"));
  });
}

describe("start-up", () => {
  const cases: Array<[string, "cli.js" | "trace-role-bin.js", string[], string]> = [
    ["rolechain --help", "cli.js", ["--help"], "rolechain <command>"],
    ["rolechain trace-role --help", "cli.js", ["trace-role", "--help"], "--event-id"],
    ["rolechain sweep --help", "cli.js", ["sweep", "--help"], "--config"],
    ["trace-role --help", "trace-role-bin.js", ["--help"], "--event-id"],
  ];

  it.each(cases)("%s loads the bundle and nothing from node_modules", (_name, bin, args, expected) => {
    const run = runRecordingLoads(bin, args);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(expected);
    // Unbundled (say, after a bare `tsc -p .`) this is ~65 files, most of them yargs's.
    expect(run.files.filter((file) => file.includes("node_modules/")), "loaded from node_modules at start-up: is dist/ from `npm run build`?").toEqual([]);
    expect(run.files.every((file) => file.startsWith("dist/")), run.files.join("\n")).toBe(true);
    expect(run.files.length, run.files.join("\n")).toBeLessThanOrEqual(10);
    expect(sourcesOf(run.files).filter((source) => notAtStartup.test(source))).toEqual([]);
    expect(run.builtins).not.toContain("node:assert");
  });

  it("a usage error loads nothing from node_modules either", () => {
    const run = runRecordingLoads("cli.js", ["trace-role", "--event-id", "x"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Missing required argument: source");
    expect(run.files.filter((file) => file.includes("node_modules/"))).toEqual([]);
  });
});

describe("local sources never load the AWS SDK", () => {
  it("trace-role on a local directory", () => {
    const run = runRecordingLoads("cli.js", ["trace-role", "--source", "fixtures/sample/logs", "--event-id", demoEventId, "--format", "json"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).hops).toHaveLength(3);
    expect(run.files.filter((file) => awsSdk.test(`/${file}`))).toEqual([]);
  });

  it("sweep on a local directory", () => {
    const run = runRecordingLoads("cli.js", ["sweep", "--source", "fixtures/sample/logs", "--config", "fixtures/sample/sweep-config.json",
      "--since", "2026-11-15T00:00:00Z", "--until", "2026-11-19T00:00:00Z"]);
    expect([0, 3], run.stderr).toContain(run.status); // 3: the sample has findings
    expect(run.files.filter((file) => awsSdk.test(`/${file}`))).toEqual([]);
  });

  it("while an s3:// source does load it (so the check above can fail)", () => {
    // No credentials: the command stops (exit 5) once the SDK is loaded, before any request.
    const run = runRecordingLoads("cli.js", ["trace-role", "--source", "s3://no-such-bucket/AWSLogs/", "--event-id", demoEventId,
      "--at", "2026-11-16T23:26:54Z", "--format", "json", "--endpoint-url", "http://127.0.0.1:9"], {
      AWS_CONFIG_FILE: join(hookDir, "no-aws-config"), AWS_SHARED_CREDENTIALS_FILE: join(hookDir, "no-aws-credentials"), AWS_EC2_METADATA_DISABLED: "true",
    });
    expect(run.status, run.stderr).toBe(5);
    expect(run.files.some((file) => awsSdk.test(`/${file}`)), run.files.join("\n")).toBe(true);
  });
});

describe("the bundled yargs", () => {
  it("reports rolechain's version wherever it runs", () => {
    const { version } = JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8")) as { version: string };
    const result = spawnSync(process.execPath, [resolve(repoRoot, "dist/cli.js"), "--version"], { cwd: tmpdir(), encoding: "utf8" });
    expect(result.stdout.trim()).toBe(version);
  });

  it("still finds its translations", () => {
    const result = spawnSync(process.execPath, [resolve(repoRoot, "dist/cli.js"), "--help"], {
      encoding: "utf8", env: { ...process.env, LC_ALL: "de_DE.UTF-8" },
    });
    expect(result.stdout).toContain("Optionen:");
    expect(result.stdout).toContain("Hilfe anzeigen");
  });
});
