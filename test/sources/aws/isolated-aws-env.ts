/**
 * A throw-away AWS home for one test: the SDK's credential providers read process.env (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, keys, endpoints) and the home directory themselves, so
 * options.env alone cannot keep them off the real ~/.aws. Every AWS_* variable is cleared, HOME
 * points at a temp dir, instance metadata is off (no waiting for IMDS), and restore() puts it all back.
 * Each call uses a new directory: the SDK caches config files by path for the life of the process.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface IsolatedAwsEnv {
  home: string;
  configFile: string;
  credentialsFile: string;
  restore(): Promise<void>;
}

export async function isolateAwsEnv(
  files: { config?: string; credentials?: string } = {},
  extraEnv: Record<string, string> = {},
): Promise<IsolatedAwsEnv> {
  const saved = { ...process.env };
  const home = await mkdtemp(path.join(tmpdir(), "rolechain-aws-home-"));
  const configFile = path.join(home, "config");
  const credentialsFile = path.join(home, "credentials");
  if (files.config !== undefined) await writeFile(configFile, files.config);
  if (files.credentials !== undefined) await writeFile(credentialsFile, files.credentials);

  for (const name of Object.keys(process.env)) {
    if (name.startsWith("AWS_")) delete process.env[name];
  }
  Object.assign(process.env, {
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extraEnv,
  });

  return {
    home,
    configFile,
    credentialsFile,
    async restore() {
      for (const name of Object.keys(process.env)) {
        if (!(name in saved)) delete process.env[name];
      }
      Object.assign(process.env, saved);
      await rm(home, { recursive: true, force: true });
    },
  };
}
