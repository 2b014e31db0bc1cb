/** How LookupEvents failures are told apart: by the error name the SDK gives, and the HTTP status. */

const THROTTLING_NAMES = new Set([
  "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
]);

/**
 * An opt-in region the account has not enabled rejects its credentials as if they were invalid
 * ("The security token included in the request is invalid").
 */
const REGION_NOT_ENABLED_NAMES = new Set(["UnrecognizedClientException", "InvalidClientTokenId"]);

export function isThrottlingError(error: unknown): boolean {
  return THROTTLING_NAMES.has(errorName(error)) || httpStatus(error) === 429;
}

export function isRegionNotEnabledError(error: unknown): boolean {
  return REGION_NOT_ENABLED_NAMES.has(errorName(error));
}

/** One line for a problem report: "AccessDeniedException: User … is not authorized …". */
export function describeLookupError(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const line = name && message && !message.startsWith(name) ? `${name}: ${message}` : message || name || "unknown error";
  return line.replace(/\s+/g, " ").slice(0, 300);
}

function errorName(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : "";
}

function httpStatus(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === "number" ? metadata.httpStatusCode : null;
}
