const ACCOUNT_PLACEHOLDER = "{accountId}";

/**
 * An IAM role ARN with {accountId} where the account goes, e.g.
 * arn:aws:iam::{accountId}:role/IncidentResponseReadOnly (any partition, role paths allowed).
 */
const ROLE_TEMPLATE = /^arn:aws[a-z-]*:iam::\{accountId\}:role\/[\w+=,.@\/-]+$/;

/** Throws a plain Error with a one-line message naming the template when it is not usable. */
export function validateAssumeRoleTemplate(template: string): void {
  if (!template.includes(ACCOUNT_PLACEHOLDER)) {
    throw new Error(`--assume-role ${JSON.stringify(template)}: the template must contain ${ACCOUNT_PLACEHOLDER}, e.g. arn:aws:iam::{accountId}:role/IncidentResponseReadOnly`);
  }
  if (!ROLE_TEMPLATE.test(template)) {
    throw new Error(`--assume-role ${JSON.stringify(template)}: not an IAM role ARN template like arn:aws:iam::{accountId}:role/IncidentResponseReadOnly`);
  }
}

export function roleArnForAccount(template: string, accountId: string): string {
  return template.replaceAll(ACCOUNT_PLACEHOLDER, accountId);
}
