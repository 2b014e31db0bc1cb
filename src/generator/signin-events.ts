import type { GenContext } from "./gen-context.js";
import type { JsonObject, RoleSession } from "./identities.js";
import type { IamUser } from "./org-model.js";
import { buildRecord } from "./record-builders.js";

const SIGNIN = "signin.amazonaws.com";

export interface ConsoleLoginRequest {
  time: number;
  sourceIPAddress: string;
  userAgent: string;
  mfaUsed: boolean;
  success: boolean;
}

/** An IAM user's console sign-in, logged in us-east-1 (global sign-in endpoint). */
export function iamUserConsoleLogin(ctx: GenContext, user: IamUser | null, accountId: string, req: ConsoleLoginRequest): JsonObject {
  // A failed sign-in with an unknown user name hides the name.
  const userIdentity: JsonObject = user
    ? { type: "IAMUser", principalId: user.principalId, arn: user.arn, accountId: user.accountId, userName: user.name }
    : { type: "IAMUser", accountId, accessKeyId: "", userName: "HIDDEN_DUE_TO_SECURITY_REASONS" };
  const additionalEventData: JsonObject = { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No" };
  if (req.mfaUsed && user?.mfaSerial) additionalEventData["MFAIdentifier"] = user.mfaSerial;
  additionalEventData["MFAUsed"] = req.mfaUsed ? "Yes" : "No";
  return buildRecord({
    eventVersion: "1.08", userIdentity, time: req.time, eventSource: SIGNIN, eventName: "ConsoleLogin", region: "us-east-1",
    sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent,
    ...(req.success ? {} : { errorMessage: "Failed authentication" }),
    requestParameters: null, responseElements: { ConsoleLogin: req.success ? "Success" : "Failure" }, additionalEventData,
    requestID: null, eventID: ctx.ids.uuid(), readOnly: false, eventType: "AwsConsoleSignIn", recipientAccountId: accountId,
    tlsHost: "signin.aws.amazon.com",
  });
}

export function rootConsoleLogin(ctx: GenContext, accountId: string, req: ConsoleLoginRequest): JsonObject {
  return buildRecord({
    eventVersion: "1.08",
    userIdentity: { type: "Root", principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId: "" },
    time: req.time, eventSource: SIGNIN, eventName: "ConsoleLogin", region: "us-east-1",
    sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent, requestParameters: null,
    responseElements: { ConsoleLogin: req.success ? "Success" : "Failure" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?isauthcode=true", MobileVersion: "No", MFAUsed: req.mfaUsed ? "Yes" : "No" },
    requestID: null, eventID: ctx.ids.uuid(), readOnly: false, eventType: "AwsConsoleSignIn", recipientAccountId: accountId,
    tlsHost: "signin.aws.amazon.com",
  });
}

/**
 * The signin SwitchRole event in the role's account: the session ARN without a key, the real client
 * IP, and SwitchFrom naming who switched. Same second as the AssumeRole it accompanies.
 */
export function switchRole(ctx: GenContext, session: RoleSession, switchFrom: string, req: { time: number; region: string; sourceIPAddress: string; userAgent: string }): JsonObject {
  return buildRecord({
    eventVersion: "1.08",
    userIdentity: { type: "AssumedRole", principalId: session.principalId, arn: session.arn, accountId: session.role.accountId },
    time: req.time, eventSource: SIGNIN, eventName: "SwitchRole", region: req.region,
    sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent, requestParameters: null,
    responseElements: { SwitchRole: "Success" },
    additionalEventData: { SwitchFrom: switchFrom, RedirectTo: `https://${req.region}.console.aws.amazon.com/console/home?region=${req.region}` },
    requestID: null, eventID: ctx.ids.uuid(), readOnly: false, eventType: "AwsConsoleSignIn",
    recipientAccountId: session.role.accountId, tlsHost: "signin.aws.amazon.com",
  });
}
