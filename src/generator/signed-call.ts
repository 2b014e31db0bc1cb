import type { ApiCallParts } from "./api-catalog.js";
import type { GenContext } from "./gen-context.js";
import { callerArn, identityOf, type Caller, type JsonObject } from "./identities.js";
import { buildRecord } from "./record-builders.js";

export interface SignedCallOptions {
  time: number;
  sourceIPAddress: string;
  userAgent: string;
  /** Denied with the service's usual AccessDenied shape (responseElements null). */
  denied?: boolean;
  invokedBy?: string;
  omitCreationDate?: boolean;
  /** Fixed key for a console request; otherwise console sessions get a fresh key per request. */
  signingKey?: string;
}

function isConsole(caller: Caller): boolean {
  return caller.kind !== "user-key" && caller.kind !== "federated" && caller.console;
}

function deniedFields(ctx: GenContext, caller: Caller, parts: ApiCallParts): { errorCode: string; errorMessage: string } {
  const because = `because no identity-based policy allows the ${parts.action} action`;
  const who = callerArn(caller);
  switch (parts.deniedStyle) {
    case "ec2":
      return {
        errorCode: "Client.UnauthorizedOperation",
        errorMessage: `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ${parts.action} on resource: ${parts.resourceArn} ${because}. Encoded authorization failure message: ${ctx.ids.blob(420)}`,
      };
    case "s3":
      return { errorCode: "AccessDenied", errorMessage: "Access Denied" };
    case "standard":
      return { errorCode: "AccessDenied", errorMessage: `User: ${who} is not authorized to perform: ${parts.action} on resource: ${parts.resourceArn} ${because}` };
  }
}

/** An API call signed by `caller`, as the target account's log shows it. */
export function signedCall(ctx: GenContext, caller: Caller, parts: ApiCallParts, options: SignedCallOptions): JsonObject {
  const console = isConsole(caller);
  // Console sessions sign every request with a fresh temporary key (DX, HUNTERS).
  const signingKey = options.signingKey ?? (console ? ctx.ids.temporaryAccessKeyId() : undefined);
  const denial = options.denied ? deniedFields(ctx, caller, parts) : null;
  return buildRecord({
    eventVersion: parts.eventVersion,
    userIdentity: identityOf(caller, {
      ...(signingKey ? { signingKey } : {}),
      ...(options.invokedBy ? { invokedBy: options.invokedBy } : {}),
      ...(options.omitCreationDate ? { omitCreationDate: true } : {}),
    }),
    time: options.time,
    eventSource: parts.eventSource,
    eventName: parts.eventName,
    region: parts.region,
    sourceIPAddress: options.sourceIPAddress,
    userAgent: options.userAgent,
    ...(denial ?? {}),
    requestParameters: parts.requestParameters,
    responseElements: denial ? null : parts.responseElements,
    additionalEventData: parts.additionalEventData,
    requestID: parts.requestID ?? ctx.ids.uuid(),
    eventID: ctx.ids.uuid(),
    readOnly: parts.readOnly,
    resources: parts.resources,
    recipientAccountId: parts.accountId,
    ...(parts.category ? { eventCategory: parts.category } : {}),
    tlsHost: options.sourceIPAddress === "AWS Internal" || options.sourceIPAddress.endsWith(".amazonaws.com") ? null : parts.host,
    sessionCredentialFromConsole: console,
  });
}
