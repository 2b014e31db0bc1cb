import { globalServiceCall, type ApiCallParts, type CallTarget } from "./api-catalog.js";
import { stableUniqueId } from "./ids.js";
import { roleArn } from "./org-model.js";
import { expirationText } from "./time-format.js";

/**
 * The two IAM calls that set a role's trust policy, shaped as CloudTrail logs them (Stratus Red Team
 * detonations; IAM API reference):
 * - CreateRole: requestParameters {roleName, path, assumeRolePolicyDocument (the JSON text as sent),
 *   …}; responseElements.role {path, roleName, roleId, arn, createDate, assumeRolePolicyDocument
 *   (URL-encoded)}.
 * - UpdateAssumeRolePolicy: requestParameters {roleName, policyDocument}; responseElements null. The
 *   role's path and ARN are not in the record.
 * Both are global (us-east-1) and carry no `resources`.
 */

export interface TrustStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };
  Action: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface TrustPolicy {
  Version: "2012-10-17";
  Statement: TrustStatement[];
}

/**
 * The policy text as a client sends it: `pretty` is what a hand-written file passed with
 * `file://` looks like, `compact` what Terraform's jsonencode and SDKs send.
 */
export function trustPolicyText(policy: TrustPolicy, style: "pretty" | "compact"): string {
  return style === "pretty" ? JSON.stringify(policy, null, 2) : JSON.stringify(policy);
}

export interface CreateRoleInput {
  roleName: string;
  path: string;
  policyText: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: { key: string; value: string }[];
}

export function createRoleCall(t: CallTarget, input: CreateRoleInput): ApiCallParts {
  const arn = roleArn(t.accountId, input.path, input.roleName);
  const requestParameters: Record<string, unknown> = { path: input.path, roleName: input.roleName, assumeRolePolicyDocument: input.policyText };
  if (input.description !== undefined) requestParameters["description"] = input.description;
  if (input.maxSessionDuration !== undefined) requestParameters["maxSessionDuration"] = input.maxSessionDuration;
  if (input.tags) requestParameters["tags"] = input.tags;
  const role: Record<string, unknown> = {
    path: input.path, roleName: input.roleName, roleId: stableUniqueId("AROA", `${t.accountId}:${input.roleName}`), arn,
    createDate: expirationText(t.time), assumeRolePolicyDocument: encodeURIComponent(input.policyText),
  };
  if (input.description !== undefined) role["description"] = input.description;
  if (input.maxSessionDuration !== undefined) role["maxSessionDuration"] = input.maxSessionDuration;
  if (input.tags) role["tags"] = input.tags;
  return globalServiceCall(t, "iam", "CreateRole", false, requestParameters, { responseElements: { role }, resourceArn: arn });
}

export function updateAssumeRolePolicyCall(t: CallTarget, roleName: string, path: string, policyText: string): ApiCallParts {
  return globalServiceCall(t, "iam", "UpdateAssumeRolePolicy", false, { roleName, policyDocument: policyText }, {
    resourceArn: roleArn(t.accountId, path, roleName),
  });
}
