import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS } from "@smithy/core/config";

export const DEFAULT_AWS_REGION = "us-east-1";

/**
 * The run's region as the AWS CLI picks it: --region, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's `region` in the config files, else us-east-1. The file lookup is the SDK's own loader
 * (the one every client uses), but without its last resort, asking EC2 instance metadata, which
 * waits for a timeout anywhere but on EC2.
 */
export async function resolveAwsRegion(options: {
  region?: string | undefined;
  profile?: string | undefined;
  env: NodeJS.ProcessEnv;
}): Promise<string> {
  const fromFlagOrEnv = nonEmpty(options.region) ?? nonEmpty(options.env["AWS_REGION"]) ?? nonEmpty(options.env["AWS_DEFAULT_REGION"]);
  if (fromFlagOrEnv !== undefined) return fromFlagOrEnv;
  const profile = nonEmpty(options.profile) ?? nonEmpty(options.env["AWS_PROFILE"]) ?? "default";
  const fromProfile = await loadConfig<string | undefined>(
    {
      environmentVariableSelector: () => undefined,
      configFileSelector: (section) => nonEmpty(section["region"]),
      default: () => undefined,
    },
    { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile },
  )().catch(() => undefined);
  return fromProfile ?? DEFAULT_AWS_REGION;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
