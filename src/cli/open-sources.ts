import type { EventSource, SourceProblem } from "../sources/event-source.js";
import type { ProgressListener } from "../sources/scan-progress.js";
import type { AwsAccess } from "../sources/aws/aws-access.js";
import { UsageError } from "./cli-io.js";
import type { AwsFlagArgs } from "./aws-flags.js";
import type { IndexFlagArgs } from "./index-flags.js";
import { parseSourceSpec, SourceSpecError, type SourceSpec } from "./source-spec.js";

export interface OpenSourcesSettings {
  deliverySlackMs: number;
  aws: AwsFlagArgs;
  index: IndexFlagArgs;
  /** One line to the user (stderr); problems with single files or objects go here as they are found. */
  say: (line: string) => void;
  /** Where an MFA code is read from when a profile asks for one (the terminal). */
  openStdin?: () => NodeJS.ReadableStream;
  /** Where the MFA prompt is written (stderr). */
  promptOutput?: { write(text: string): unknown };
  /** Told as local files are read, for the progress line (S3 and the query APIs report none yet). */
  onProgress?: ProgressListener;
}

/** Parses every --source value; a bad one is a usage error before anything is read. */
export function parseSourceSpecs(values: readonly string[]): SourceSpec[] {
  try {
    return values.map(parseSourceSpec);
  } catch (error) {
    if (error instanceof SourceSpecError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Every --source as one EventSource: local paths together (overlapping paths are read once), each
 * bucket and the CloudTrail API on their own. A source that cannot be used at all is said once and
 * gives null, for the command's "unreadable source" exit code.
 */
export async function openSources(specs: readonly SourceSpec[], settings: OpenSourcesSettings): Promise<EventSource | null> {
  // Loaded here, not at start-up: `--help` must stay fast, and a local trace never loads the AWS SDK.
  const [{ combineSources }, { SourceUnavailableError }] = await Promise.all([
    import("../sources/event-source.js"),
    import("../sources/source-errors.js"),
  ]);
  const onProblem = (p: SourceProblem) => settings.say(`${p.location}: ${p.reason}`);
  const needsAws = specs.some((s) => s.kind !== "local");
  const access = needsAws ? await openAwsAccess(settings) : null;

  const sources: EventSource[] = [];
  try {
    const localPaths = specs.flatMap((s) => (s.kind === "local" ? [s.path] : []));
    if (localPaths.length > 0) {
      const [{ createLocalSource }, { defaultIndexDir }] = await Promise.all([
        import("../sources/local/local-source.js"),
        import("./default-cache-dir.js"),
      ]);
      const useIndex = settings.index.index !== false;
      sources.push(await createLocalSource(localPaths, {
        deliverySlackMs: settings.deliverySlackMs,
        onProblem,
        onProgress: settings.onProgress,
        useIndex,
        indexDir: useIndex ? settings.index.indexDir ?? defaultIndexDir() : null,
      }));
    }
    for (const spec of specs) {
      switch (spec.kind) {
        case "local":
          break;
        case "s3":
          sources.push(await openS3(spec, access!, settings, onProblem));
          break;
        case "cloudtrail":
          sources.push(await openCloudTrail(spec, access!, onProblem));
          break;
        case "athena":
          sources.push(await openAthena(spec, access!, settings, onProblem));
          break;
        case "lake":
          sources.push(await openLake(spec, access!, onProblem));
          break;
        default:
          spec satisfies never;
      }
    }
  } catch (error) {
    if (error instanceof SourceUnavailableError) {
      settings.say(error.message);
      return null;
    }
    throw error;
  }
  return combineSources(sources);
}

async function openAwsAccess(settings: OpenSourcesSettings): Promise<AwsAccess> {
  const aws = await import("../sources/aws/create-aws-access.js");
  const { terminalMfaPrompt } = await import("../sources/aws/terminal-mfa-prompt.js");
  let accountProfiles: Map<string, string>;
  try {
    accountProfiles = aws.parseAccountProfiles(settings.aws.accountProfile ?? []);
    if (settings.aws.assumeRole !== undefined) aws.validateAssumeRoleTemplate(settings.aws.assumeRole);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const openStdin = settings.openStdin;
  const output = settings.promptOutput;
  let prompt: ((serial: string) => Promise<string>) | null = null;
  return aws.createAwsAccess({
    ...(settings.aws.profile !== undefined ? { profile: settings.aws.profile } : {}),
    ...(settings.aws.region !== undefined ? { region: settings.aws.region } : {}),
    ...(settings.aws.endpointUrl !== undefined ? { endpointUrl: settings.aws.endpointUrl } : {}),
    ...(settings.aws.assumeRole !== undefined ? { assumeRoleTemplate: settings.aws.assumeRole } : {}),
    accountProfiles,
    // The terminal is opened only if a profile really asks for a code.
    mfaCodeProvider: async (serial) => {
      if (!openStdin || !output) throw new Error(`profile needs an MFA code for ${serial}, and there is no terminal to ask`);
      prompt ??= terminalMfaPrompt(openStdin(), output);
      return prompt(serial);
    },
  });
}

async function openS3(
  spec: Extract<SourceSpec, { kind: "s3" }>, access: AwsAccess, settings: OpenSourcesSettings, onProblem: (p: SourceProblem) => void,
): Promise<EventSource> {
  const [{ createS3Source }, { createS3Client }, { defaultS3CacheDir }] = await Promise.all([
    import("../sources/s3/s3-source.js"),
    import("../sources/aws/s3-client.js"),
    import("./default-cache-dir.js"),
  ]);
  return createS3Source(spec.uri, {
    client: createS3Client(access),
    cacheDir: settings.aws.cacheDir ?? defaultS3CacheDir(),
    deliverySlackMs: settings.deliverySlackMs,
    onProblem,
  });
}

async function openCloudTrail(
  spec: Extract<SourceSpec, { kind: "cloudtrail" }>, access: AwsAccess, onProblem: (p: SourceProblem) => void,
): Promise<EventSource> {
  const [{ createLookupEventsSource }, { cloudTrailAccountsFor }, { DEFAULT_LOOKUP_REGIONS }, { SourceUnavailableError }] = await Promise.all([
    import("../sources/cloudtrail-api/lookup-events-source.js"),
    import("../sources/aws/cloudtrail-accounts.js"),
    import("../sources/cloudtrail-api/default-regions.js"),
    import("../sources/source-errors.js"),
  ]);
  // Asked now, not in the middle of a trace: with no usable credentials at all, say so and stop.
  try {
    await access.defaultAccounts();
  } catch (error) {
    throw new SourceUnavailableError(spec.regions ? `cloudtrail:${spec.regions.join(",")}` : "cloudtrail", (error as Error).message, { cause: error });
  }
  return createLookupEventsSource({
    accounts: cloudTrailAccountsFor(access),
    regions: spec.regions ?? DEFAULT_LOOKUP_REGIONS,
    onProblem,
  });
}

async function openAthena(
  spec: Extract<SourceSpec, { kind: "athena" }>, access: AwsAccess, settings: OpenSourcesSettings, onProblem: (p: SourceProblem) => void,
): Promise<EventSource> {
  const [{ AthenaClient }, { createAthenaSource }, { apiClientConfig }] = await Promise.all([
    import("@aws-sdk/client-athena"),
    import("../sources/athena/athena-source.js"),
    import("../sources/aws/api-client-config.js"),
  ]);
  await requireCredentials(spec.uri, access);
  const client = new AthenaClient(apiClientConfig(access));
  return createAthenaSource(spec.table, { client, deliverySlackMs: settings.deliverySlackMs, onProblem });
}

async function openLake(
  spec: Extract<SourceSpec, { kind: "lake" }>, access: AwsAccess, onProblem: (p: SourceProblem) => void,
): Promise<EventSource> {
  const [{ CloudTrailClient }, { createLakeSource }, { apiClientConfig }] = await Promise.all([
    import("@aws-sdk/client-cloudtrail"),
    import("../sources/lake/lake-source.js"),
    import("../sources/aws/api-client-config.js"),
  ]);
  const { store } = spec;
  await requireCredentials(spec.uri, access);
  // An ARN names the store's region and owner (a delegated administrator queries the management account's store).
  const client = new CloudTrailClient(apiClientConfig(access, store.region ? { region: store.region } : {}));
  return createLakeSource(store.eventDataStore, { client, onProblem, ...(store.accountId ? { ownerAccountId: store.accountId } : {}) });
}

/** Query engines are first called mid-trace; without any credentials, say so now and stop (exit 5). */
async function requireCredentials(location: string, access: AwsAccess): Promise<void> {
  const [{ SourceUnavailableError }, { describeCredentialError }] = await Promise.all([
    import("../sources/source-errors.js"),
    import("../sources/aws/credential-errors.js"),
  ]);
  try {
    await access.baseCredentials();
  } catch (error) {
    throw new SourceUnavailableError(location, describeCredentialError(error) ?? (error as Error).message, { cause: error });
  }
}
