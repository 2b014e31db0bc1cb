/**
 * The accounts, people and times the tracer tests share. Account ids follow AWS documentation style;
 * IPs are from the documentation ranges (RFC 5737).
 */
export const IDENTITY = "111122223333"; // where the humans' IAM users / Identity Center live
export const PROD = "444455556666"; // role owner
export const DATA = "777788889999"; // a third account, for chains across accounts

/** The second every test's first session is issued in. */
export const T0 = "2026-11-16T10:15:00Z";
export const T0_MS = Date.parse(T0);

export const ALICE_IP = "203.0.113.7";
export const BOB_IP = "203.0.113.50";
export const ATTACKER_IP = "198.51.100.99";

export const ASSUME_ROLE_NAMES = ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"];
