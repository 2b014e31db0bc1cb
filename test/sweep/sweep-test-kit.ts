/**
 * Test doubles for the sweep's orchestration: a deliberately simple detector (the real one lives in
 * src/core/sweep and has its own tests), real-shaped cross-account AssumeRole copies, and a runner
 * for the command with captured stdout/stderr.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CloudTrailEvent } from "../../src/core/cloudtrail-event.js";
import type { DetectedFinding } from "../../src/core/sweep/detect-findings.js";
import type { FindingDetector } from "../../src/core/sweep/finding-detector.js";
import type { Detector } from "../../src/sweep/run-sweep.js";
import type { Finding } from "../../src/schema/finding.js";
import type { SweepConfig } from "../../src/schema/sweep-config.js";
import { runSweepCommand, type SweepArgs, type SweepCommandDeps } from "../../src/cli/sweep-command.js";
import { crossAccountAssumeRole, iamUserIdentity, longTermKey, tempKey, uuid, type RawRecord } from "../helpers/cloudtrail-records.js";

export const ORG_ACCOUNT = "111111111111";
export const OTHER_ORG_ACCOUNT = "222222222222";
export const OUTSIDE_ACCOUNT = "999999999999";

/**
 * Flags every owner copy of an AssumeRole whose caller account is neither trusted nor allowed
 * (exact roleArn match), tracing from the caller's copy when the logs hold it. It holds every event
 * it is given: `lastEvents` are those of the last run, `calls` counts the runs that asked for findings.
 */
export function simpleCrossAccountDetector(): Detector & { calls: number; lastEvents: readonly CloudTrailEvent[] } {
  const detector = (config: SweepConfig): FindingDetector => {
    const events: CloudTrailEvent[] = [];
    detector.lastEvents = events;
    return {
      add: (event) => {
        events.push(event);
      },
      findings: () => {
        detector.calls++;
        return judgeEvents(events, config);
      },
    };
  };
  detector.calls = 0;
  detector.lastEvents = [] as readonly CloudTrailEvent[];
  return detector;
}

/** A detector that finds nothing. */
export function silentDetector(): Detector {
  return () => ({ add: () => {}, findings: () => [] });
}

function judgeEvents(events: readonly CloudTrailEvent[], config: SweepConfig): DetectedFinding[] {
  const out: DetectedFinding[] = [];
  for (const event of events) {
    if (event.eventName !== "AssumeRole" || event.errorCode) continue;
    const roleArn = typeof event.requestParameters?.roleArn === "string" ? event.requestParameters.roleArn : null;
    const roleAccount = roleArn?.split(":")[4] ?? null;
    const callerAccount = event.userIdentity?.accountId ?? null;
    if (!roleArn || !roleAccount || !callerAccount || callerAccount === roleAccount) continue;
    if (event.recipientAccountId !== roleAccount) continue;
    if (config.trustedAccounts.includes(callerAccount) && config.trustedAccounts.includes(roleAccount)) continue;
    if (config.allow.some((a) => a.callerAccount === callerAccount && a.roleArn === roleArn)) continue;
    const callerCopy = events.find((e) => e.sharedEventID !== null && e.sharedEventID === event.sharedEventID && e.eventID !== event.eventID);
    out.push({ finding: findingFor(event, roleArn, roleAccount, callerAccount, callerCopy ?? null), traceFromEventId: callerCopy?.eventID ?? null });
  }
  return out;
}

function findingFor(event: CloudTrailEvent, roleArn: string, roleAccountId: string, callerAccountId: string, callerCopy: CloudTrailEvent | null): Finding {
  const caller = callerCopy?.userIdentity ?? event.userIdentity;
  return {
    schema: "rolechain.finding/v1",
    id: `unexpected-cross-account-assume-role:${event.eventID}`,
    kind: "unexpected-cross-account-assume-role",
    severity: "high",
    eventID: event.eventID,
    sharedEventID: event.sharedEventID,
    eventName: event.eventName,
    eventTime: event.eventTime,
    awsRegion: event.awsRegion,
    recipientAccountId: event.recipientAccountId,
    roleArn,
    roleAccountId,
    callerAccountId,
    callerArn: caller?.arn ?? null,
    callerType: caller?.type ?? null,
    sourceIPAddress: (callerCopy ?? event).sourceIPAddress,
    userAgent: event.userAgent,
    reason: `Account ${callerAccountId} assumed ${roleArn}; it is neither trusted nor allowed for this role.`,
    principals: [],
    webIdentity: null,
    trace: null,
  };
}

/** Both copies of a cross-account AssumeRole by an IAM user of `callerAccount`. */
export function crossAccountCall(label: string, o: { time: string; callerAccount: string; roleAccount: string; roleName?: string; sessionName?: string; sourceIPAddress?: string }): { ownerCopy: RawRecord; callerCopy: RawRecord } {
  return crossAccountAssumeRole({
    caller: iamUserIdentity({ accountId: o.callerAccount, userName: `user-${label}`, accessKeyId: longTermKey(`user-${label}`) }),
    session: {
      roleArn: `arn:aws:iam::${o.roleAccount}:role/${o.roleName ?? "audit"}`,
      sessionName: o.sessionName ?? `session-${label}`,
      accessKeyId: tempKey(`session-${label}`),
      issuedAt: o.time,
    },
    ownerEventID: uuid(`owner:${label}`),
    callerEventID: uuid(`caller:${label}`),
    sharedEventID: uuid(`shared:${label}`),
    sourceIPAddress: o.sourceIPAddress ?? "203.0.113.50",
  });
}

export function ownerEventId(label: string): string {
  return uuid(`owner:${label}`);
}

export function writeConfig(dir: string, config: unknown, name = "sweep.json"): string {
  const path = join(dir, name);
  writeFileSync(path, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return path;
}

export interface CommandRun { code: number; stdout: string; stderr: string }

export async function runSweepInProcess(args: Partial<SweepArgs> & Pick<SweepArgs, "source" | "config">, deps: SweepCommandDeps = {}, isTTY = false): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const code = await runSweepCommand({ deliverySlack: "12h", trace: true, ...args }, {
    stdout: { isTTY, columns: 140, write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
  }, { lockWaitMs: 50, ...deps });
  return { code, stdout, stderr };
}
