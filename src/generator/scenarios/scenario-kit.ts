import type { ApiCallParts, ApiCallName, CallTarget } from "../api-catalog.js";
import { apiCall } from "../api-catalog.js";
import type { FindingKind } from "../../schema/finding.js";
import { expectedFinding, type ExpectedFinding } from "../expected-finding.js";
import type { ExpectedGapReason, ExpectedHop, ExpectedOrigin, ExpectedTrace } from "../expected-trace.js";
import type { GenContext } from "../gen-context.js";
import type { Caller, JsonObject, UserKeyCaller } from "../identities.js";
import { IdFactory } from "../ids.js";
import type { IamUser, OrgModel } from "../org-model.js";
import { findRole, findUser } from "../org-model.js";
import type { Prng } from "../prng.js";
import type { Reservations } from "../reservations.js";
import { signedCall, type SignedCallOptions } from "../signed-call.js";
import { assumeRole, type AssumeRoleRequest, type IssuedCall } from "../sts-calls.js";
import { SECOND_MS } from "../time-format.js";
import type { PendingRecord } from "../trail-writer.js";
import { USER_AGENTS, type UserAgentGroup } from "../user-agents.js";

export interface ScenarioEnv {
  org: OrgModel;
  reservations: Reservations;
  startMs: number;
  endMs: number;
  blobPool: string;
}

/**
 * Where a scenario's anchor lands. Unset: the trace scenarios' evenly spread slices. "early": a few
 * hours into the corpus. "sweep": on the borders between those slices, so adding one never moves a
 * trace scenario. `after`: that many minutes (negative: before) from another, earlier-listed scenario's anchor.
 */
export type ScenarioPlacement = "early" | "sweep" | { after: string; minMinutes: number; maxMinutes: number };

/**
 * One embedded incident: builds its records through the kit and returns the chain a tracer must
 * find, or null for a sweep scenario, which has no subject to trace. Either kind declares the
 * findings a sweep must report about its records through `kit.expectFinding` (none is a valid answer).
 */
export interface ScenarioDefinition {
  name: string;
  placement?: ScenarioPlacement;
  build(kit: ScenarioKit): ExpectedTrace | null;
}

export interface TraceInput {
  story: string;
  subject: JsonObject;
  hops: ExpectedHop[];
  origin: ExpectedOrigin | null;
  gapReasons?: ExpectedGapReason[];
  fallback?: { candidates: number };
}

/**
 * What a scenario builds with: its own PRNG stream (its event ids do not move when other scenarios
 * or the noise change), record emitters that reserve the scenario's issuing seconds against the
 * noise, and helpers that shape the expected chain.
 */
export class ScenarioKit {
  readonly ctx: GenContext;
  readonly records: PendingRecord[] = [];
  readonly findings: ExpectedFinding[] = [];

  constructor(readonly name: string, readonly env: ScenarioEnv, readonly anchorMs: number, rng: Prng) {
    this.ctx = { rng, ids: new IdFactory(rng, env.blobPool), org: env.org };
  }

  get org(): OrgModel {
    return this.env.org;
  }

  get rng(): Prng {
    return this.ctx.rng;
  }

  /** anchor + seconds */
  at(seconds: number): number {
    return this.anchorMs + seconds * SECOND_MS;
  }

  user(accountId: string, name: string): IamUser {
    return findUser(this.org, accountId, name);
  }

  role(accountId: string, name: string) {
    return findRole(this.org, accountId, name);
  }

  userKey(user: IamUser, keyIndex = 0): UserKeyCaller {
    return { kind: "user-key", user, accessKeyId: user.accessKeyIds[keyIndex] ?? user.accessKeyIds[0]! };
  }

  ua(group: UserAgentGroup): string {
    return this.rng.pick(USER_AGENTS[group]);
  }

  emit(record: JsonObject, options: { deliverAtMs?: number; duplicateLater?: boolean } = {}): JsonObject {
    this.records.push({
      json: JSON.stringify(record), count: 1, accountId: record["recipientAccountId"] as string,
      region: record["awsRegion"] as string, timeMs: Date.parse(record["eventTime"] as string), ...options,
    });
    return record;
  }

  /** Records that must land in one file, adjacent and in this order (e.g. the later of two AssumeRoles first). */
  emitInOrder(records: JsonObject[]): void {
    const first = records[0]!;
    const times = records.map((r) => Date.parse(r["eventTime"] as string));
    for (const r of records) {
      if (r["recipientAccountId"] !== first["recipientAccountId"] || r["awsRegion"] !== first["awsRegion"]) throw new Error(`${this.name}: records kept together must share account and region`);
    }
    this.records.push({
      json: records.map((r) => JSON.stringify(r)).join(","), count: records.length, accountId: first["recipientAccountId"] as string,
      region: first["awsRegion"] as string, timeMs: Math.min(...times), newestTimeMs: Math.max(...times),
    });
  }

  /** Noise must not issue this session ARN within a few seconds of `ms`. */
  reserve(sessionArn: string, ms: number): void {
    this.env.reservations.reserveSecond(sessionArn, ms);
  }

  /** AssumeRole, emitting both copies and reserving the session's second. */
  assumeRole(req: AssumeRoleRequest, options: { deliverAtMs?: number; duplicateLater?: boolean } = {}): IssuedCall<ReturnType<typeof assumeRole>["session"]> {
    const issued = assumeRole(this.ctx, req);
    this.emit(issued.ownerCopy, options);
    if (issued.callerCopy) this.emit(issued.callerCopy);
    this.reserve(issued.session.arn, issued.session.creationMs);
    return issued;
  }

  /** A catalog call (see api-catalog) or explicit parts, signed by `caller` and emitted. */
  call(caller: Caller, what: ApiCallName | ApiCallParts, target: Omit<CallTarget, "time">, options: SignedCallOptions): JsonObject {
    const parts = typeof what === "string" ? apiCall(this.ctx, what, { ...target, time: options.time }) : what;
    return this.emit(signedCall(this.ctx, caller, parts, options));
  }

  /**
   * Makes temporary key ids non-unique where it hurts: an unrelated principal's AssumeRole elsewhere
   * in the org that happens to be issued the same ASIA id, plus one call signed with it. A tracer
   * joining on the key alone finds this one.
   */
  keyReuseDecoy(accessKeyId: string, time: number): void {
    const decoyUser = this.user("111111111111", this.rng.pick(["ivan", "judy", "grace"]));
    const role = this.role(this.rng.pick(["444444444444", "333333333333"]), "ReadOnly");
    const ip = this.rng.pick(decoyUser.ips);
    const issued = this.assumeRole({
      caller: this.userKey(decoyUser), role, sessionName: decoyUser.name, time, region: "us-east-1", endpoint: "regional",
      sourceIPAddress: ip, userAgent: this.ua("cli"), issuedKey: accessKeyId,
    });
    this.call(issued.session, "ec2:DescribeInstances", { accountId: role.accountId, region: "us-east-1" }, { time: time + 4 * SECOND_MS, sourceIPAddress: ip, userAgent: this.ua("cli") });
  }

  /** The time halfway between two events, for decoys that must fall between an issue and its use. */
  between(fromMs: number, toMs: number): number {
    return Math.floor((fromMs + toMs) / 2 / SECOND_MS) * SECOND_MS;
  }

  /**
   * Declares that a sweep with the generated sweep config must report `record` as `kind`. `roleArn`:
   * the changed role's ARN, for an UpdateAssumeRolePolicy record (which names the role only).
   */
  expectFinding(kind: FindingKind, record: JsonObject, story: string, roleArn?: string): void {
    this.findings.push(expectedFinding(this.name, story, kind, record, roleArn));
  }

  hop(input: { sessionArn: string; issuing: JsonObject; callerCopy?: JsonObject | null; matchedBy?: ExpectedHop["matchedBy"]; callerType: string }): ExpectedHop {
    const identity = input.issuing["userIdentity"] as JsonObject;
    const callerAccount = identity["accountId"] as string | undefined;
    return {
      sessionArn: input.sessionArn,
      issuingEventId: input.issuing["eventID"] as string,
      callerEventId: input.callerCopy ? (input.callerCopy["eventID"] as string) : null,
      matchedBy: input.matchedBy ?? "accessKeyId",
      crossAccount: callerAccount !== undefined && callerAccount !== input.issuing["recipientAccountId"],
      callerType: input.callerType,
    };
  }

  origin({ type, ...fields }: Partial<ExpectedOrigin> & { type: string }): ExpectedOrigin {
    return {
      type, arn: null, accountId: null, sourceIPAddress: null, userName: null, mfaAuthenticated: null,
      identityProvider: null, sourceIdentity: null, invokedBy: null, ...fields,
    };
  }

  userOrigin(user: IamUser, sourceIPAddress: string, mfaAuthenticated: boolean | null, sourceIdentity: string | null = null): ExpectedOrigin {
    return this.origin({ type: "IAMUser", arn: user.arn, accountId: user.accountId, sourceIPAddress, userName: user.name, mfaAuthenticated, sourceIdentity });
  }

  trace(input: TraceInput): ExpectedTrace {
    const gapReasons = input.gapReasons ?? [];
    const trace: ExpectedTrace = {
      name: this.name,
      story: input.story,
      subjectEventId: input.subject["eventID"] as string,
      subjectEventTime: input.subject["eventTime"] as string,
      subjectAccountId: input.subject["recipientAccountId"] as string,
      subjectRegion: input.subject["awsRegion"] as string,
      hops: input.hops,
      origin: input.origin,
      complete: gapReasons.length === 0,
      gapReasons,
    };
    if (input.fallback) trace.fallback = input.fallback;
    return trace;
  }
}
