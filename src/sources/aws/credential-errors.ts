/**
 * One line for the user about why AWS credentials did not work, for the errors people actually
 * hit: no credentials at all, an unknown profile, expired or unknown keys, a role they may not
 * assume, a rejected MFA code. Null for anything else (the caller shows that error's own message).
 */
export function describeCredentialError(error: unknown, context: { roleArn?: string } = {}): string | null {
  if (!(error instanceof Error)) return null;
  const code = errorCode(error);
  const message = firstLine(error.message);

  if (code === "CredentialsProviderError") {
    if (/Could not load credentials from any providers/i.test(message)) {
      return "no AWS credentials found: give --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role is available";
    }
    const profile = /using profile: \[([^\]]*)\]/.exec(message)?.[1];
    if (profile !== undefined) {
      return `AWS profile "${profile}" was not found, or has no credentials, in the AWS config and credentials files`;
    }
    const mfaProfile = /^Profile (\S+) requires multi-factor authentication/.exec(message)?.[1];
    if (mfaProfile !== undefined) return `AWS profile "${mfaProfile}" needs an MFA code, and none can be asked for here`;
    return `cannot load AWS credentials: ${message}`;
  }
  if (code === "ExpiredToken" || code === "ExpiredTokenException" || code === "RequestExpired") {
    return `the AWS credentials have expired (${code}): get fresh ones (a new session, aws sso login) and run again`;
  }
  if (code === "InvalidClientTokenId" || code === "UnrecognizedClientException") {
    return `AWS does not recognise the access key (${code}): it is mistyped, deleted or deactivated`;
  }
  if (code === "SignatureDoesNotMatch") {
    return "AWS rejected the request signature (SignatureDoesNotMatch): the secret access key does not belong to the access key id";
  }
  if (code === "AccessDenied" || code === "AccessDeniedException") {
    const roleArn = context.roleArn ?? /on resource: (arn:\S+)/.exec(message)?.[1];
    if (/MultiFactorAuthentication/i.test(message)) {
      return `the MFA code was rejected${roleArn !== undefined ? ` assuming ${roleArn}` : ""} (AccessDenied: ${message.trim()})`;
    }
    if (/sts:AssumeRole/.test(message) || context.roleArn !== undefined) {
      const caller = /^User: (\S+) is not authorized/.exec(message)?.[1];
      return `sts:AssumeRole was denied for role ${roleArn ?? "(unknown role)"}${caller !== undefined ? ` to ${caller}` : ""}: the role's trust policy or the caller's permissions do not allow it`;
    }
  }
  return null;
}

/** The reason to report for a credential failure: the described one, else the error's first line. */
export function credentialFailureReason(error: unknown, context: { roleArn?: string } = {}): string {
  const described = describeCredentialError(error, context);
  if (described !== null) return described;
  if (error instanceof Error) {
    const code = errorCode(error);
    const message = firstLine(error.message);
    return code !== "Error" && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}

/** Service errors carry their AWS error code as `name` (and sometimes `Code`); Node's have `code`. */
function errorCode(error: Error): string {
  const fields = error as Error & { Code?: unknown; code?: unknown };
  if (typeof fields.Code === "string") return fields.Code;
  if (error.name === "Error" && typeof fields.code === "string") return fields.code;
  return error.name;
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? text).trim();
}
