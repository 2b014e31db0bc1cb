import { apiCall, bucketFor, pickCall, type ApiCallName, type CallProfile } from "./api-catalog.js";
import type { GenContext } from "./gen-context.js";
import type {
  Caller, FederatedSession, JsonObject, RoleSession, RootCaller, UserKeyCaller, UserSessionCaller,
} from "./identities.js";
import { untypedServiceIdentity } from "./identities.js";
import {
  AP_SOUTHEAST_2, DEV, EU_WEST_1, IDENTITY, MANAGEMENT, PROD, SECURITY, US_EAST_1,
  findRole, findUser, oidcProviderFor, samlProviderFor, sessionArnOf, ssoRoleName,
  type Ec2Instance, type IamRole, type IamUser, type LambdaFunction, type SsoUser,
} from "./org-model.js";
import { buildRecord } from "./record-builders.js";
import type { Reservations } from "./reservations.js";
import { signedCall } from "./signed-call.js";
import { iamUserConsoleLogin, rootConsoleLogin, switchRole } from "./signin-events.js";
import {
  assumeRole, assumeRoleWithSaml, assumeRoleWithWebIdentity, failedAssumeRole, getFederationToken, getSessionToken,
  type AssumeRoleRequest, type StsEndpoint,
} from "./sts-calls.js";
import { HOUR_MS, MINUTE_MS, SECOND_MS } from "./time-format.js";
import { USER_AGENTS, type UserAgentGroup } from "./user-agents.js";

/** One serialized record and where the trail delivers it. */
export interface EmittedRecord {
  json: string;
  accountId: string;
  region: string;
  timeMs: number;
}

export type RecordSink = (record: EmittedRecord) => void;

/** Share of human activity by UTC hour: the org works US and EU hours, little at night. */
const HUMAN_ACTIVITY_BY_HOUR = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.1, 0.3, 0.55, 0.8, 0.95, 1, 1, 0.95, 1, 1, 1, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.35,
];

export function humanActivity(ms: number): number {
  return HUMAN_ACTIVITY_BY_HOUR[new Date(ms).getUTCHours()]!;
}

const REGION_WEIGHTS = [[US_EAST_1, 6], [EU_WEST_1, 2.5], [AP_SOUTHEAST_2, 1.5]] as const;
const KEY_RING_SIZE = 64;
/** Share of noise-issued temporary keys that repeat an earlier, unrelated session's key id (ASIA ids are not unique). */
const KEY_REUSE_RATE = 0.05;

type Activity = (t: number) => void;

interface CallBurst {
  caller: Caller;
  profile: CallProfile;
  count: number;
  accountId: string;
  regions?: readonly string[];
  start: number;
  ip: string;
  userAgents: UserAgentGroup;
  instanceId?: string;
  invokedBy?: string;
  deniedRate?: number;
}

/**
 * Days of ordinary organization activity: the bulk of the bytes, and the haystack the scenarios hide
 * in. Principals keep their sessions across slots (instance credentials refreshed hourly, console
 * sessions for hours), reuse session names across callers and occasionally repeat a temporary key id,
 * so any join on ARN alone or key alone goes wrong somewhere. State is bounded by the org's size,
 * never by the corpus size.
 */
export class BackgroundNoise {
  private bytes = 0;
  private readonly keyRing: string[] = [];
  private readonly ec2Sessions = new Map<string, RoleSession>();
  private readonly lambdaSessions = new Map<string, RoleSession>();
  private readonly roleSessions = new Map<string, RoleSession>();
  private readonly consoleUsers = new Map<string, UserSessionCaller>();
  private readonly gstSessions = new Map<string, UserSessionCaller>();
  private readonly federatedSessions = new Map<string, FederatedSession>();
  private readonly rootSessions = new Map<string, RootCaller>();
  private readonly humans: IamUser[];
  private readonly activities: readonly (readonly [Activity, number, "human" | "machine"])[];

  constructor(
    private readonly ctx: GenContext,
    private readonly reservations: Reservations,
    private readonly window: { startMs: number; endMs: number },
    private readonly sink: RecordSink,
  ) {
    this.humans = ctx.org.users.filter((u) => u.human && u.accountId === IDENTITY);
    this.activities = [
      [(t) => this.ec2Work(t), 16, "machine"],
      [(t) => this.lambdaWork(t), 9, "machine"],
      [(t) => this.vendorPoll(t), 3, "machine"],
      [(t) => this.securityAudit(t), 2.5, "machine"],
      [(t) => this.legacyApp(t), 1.5, "machine"],
      [(t) => this.siemIngest(t), 1.2, "machine"],
      [(t) => this.serviceEvents(t), 1, "machine"],
      [(t) => this.federationReport(t), 0.6, "machine"],
      [(t) => this.externalProbe(t), 0.15, "machine"],
      [(t) => this.humanCli(t), 8, "human"],
      [(t) => this.humanConsole(t), 4, "human"],
      [(t) => this.ssoUser(t), 5, "human"],
      [(t) => this.oktaSaml(t), 2, "human"],
      [(t) => this.githubDeploy(t), 3, "human"],
      [(t) => this.terraformPlan(t), 1.5, "human"],
      [(t) => this.deployBot(t), 1, "human"],
      [(t) => this.failedCall(t), 1.2, "human"],
      [(t) => this.failedAssumeRoleThenRetry(t), 0.5, "human"],
      [(t) => this.consoleLoginFailure(t), 0.3, "human"],
      [(t) => this.getSessionTokenUser(t), 0.6, "human"],
      [(t) => this.rootActivity(t), 0.04, "human"],
    ];
    this.seedSessionsIssuedBeforeTheLogs();
  }

  /** Emits activity starting inside [fromMs, toMs) until about `budgetBytes` were written; returns the bytes written. */
  fillSlot(fromMs: number, toMs: number, budgetBytes: number): number {
    const before = this.bytes;
    const human = humanActivity(fromMs);
    const weights = this.activities.map(([activity, weight, kind]) => [activity, kind === "human" ? weight * human : weight] as const);
    while (this.bytes - before < budgetBytes) {
      const activity = this.ctx.rng.weighted(weights);
      activity(fromMs + this.ctx.rng.int(toMs - fromMs));
    }
    return this.bytes - before;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private emit(record: JsonObject, accountId: string, region: string, timeMs: number): void {
    if (timeMs >= this.window.endMs) return;
    const json = JSON.stringify(record);
    this.bytes += json.length;
    this.sink({ json, accountId, region, timeMs });
  }

  private emitRecord(record: JsonObject, timeMs: number): void {
    this.emit(record, record["recipientAccountId"] as string, record["awsRegion"] as string, timeMs);
  }

  private region(): string {
    return this.ctx.rng.weighted(REGION_WEIGHTS);
  }

  private ua(group: UserAgentGroup): string {
    return this.ctx.rng.pick(USER_AGENTS[group]);
  }

  /** A fresh temporary key id, or now and then one an unrelated session already had. */
  private newKey(): string {
    if (this.keyRing.length > 8 && this.ctx.rng.chance(KEY_REUSE_RATE)) return this.ctx.rng.pick(this.keyRing);
    const key = this.ctx.ids.temporaryAccessKeyId();
    if (this.keyRing.length < KEY_RING_SIZE) this.keyRing.push(key);
    else this.keyRing[this.ctx.rng.int(KEY_RING_SIZE)] = key;
    return key;
  }

  private role(accountId: string, name: string): IamRole {
    return findRole(this.ctx.org, accountId, name);
  }

  /** Session names collide on purpose; a scenario-owned ARN gets a suffix instead. */
  private sessionName(role: IamRole, preferred: string): string {
    return this.reservations.isArnReserved(sessionArnOf(role, preferred)) ? `${preferred}-2` : preferred;
  }

  private issueTime(role: IamRole, sessionName: string, t: number): number {
    return this.reservations.freeTime(sessionArnOf(role, sessionName), t);
  }

  /** AssumeRole with noise's key policy and the scenarios' reservations applied; emits every copy. */
  private assume(req: Omit<AssumeRoleRequest, "issuedKey">): RoleSession {
    const time = this.issueTime(req.role, req.sessionName, req.time);
    const issued = assumeRole(this.ctx, { ...req, time, issuedKey: this.newKey() });
    this.emitRecord(issued.ownerCopy, time);
    if (issued.callerCopy) this.emitRecord(issued.callerCopy, time);
    return issued.session;
  }

  private burst(b: CallBurst): number {
    let t = b.start;
    for (let i = 0; i < b.count; i++) {
      t += this.ctx.rng.between(1, 25) * SECOND_MS;
      const region = b.regions ? this.ctx.rng.pick(b.regions) : this.region();
      const name = pickCall(this.ctx, b.profile);
      this.call(b.caller, name, { accountId: b.accountId, region, t, ip: b.ip, ua: this.ua(b.userAgents), instanceId: b.instanceId, invokedBy: b.invokedBy, denied: this.ctx.rng.chance(b.deniedRate ?? 0.01) });
    }
    return t;
  }

  private call(caller: Caller, name: ApiCallName, o: { accountId: string; region: string; t: number; ip: string; ua: string; instanceId?: string | undefined; invokedBy?: string | undefined; denied?: boolean; functionName?: string }): void {
    const parts = apiCall(this.ctx, name, {
      accountId: o.accountId, region: o.region, time: o.t,
      ...(o.instanceId ? { instanceId: o.instanceId } : {}), ...(o.functionName ? { functionName: o.functionName } : {}),
    });
    const record = signedCall(this.ctx, caller, parts, {
      time: o.t, sourceIPAddress: o.ip, userAgent: o.ua, ...(o.denied ? { denied: true } : {}), ...(o.invokedBy ? { invokedBy: o.invokedBy } : {}),
    });
    this.emitRecord(record, o.t);
  }

  private userKey(user: IamUser): UserKeyCaller {
    return { kind: "user-key", user, accessKeyId: this.ctx.rng.pick(user.accessKeyIds) };
  }

  private live<T extends { creationMs: number }>(map: Map<string, T>, key: string, t: number, lifetimeMs: number): T | null {
    const found = map.get(key);
    return found && t >= found.creationMs && t - found.creationMs < lifetimeMs ? found : null;
  }

  /**
   * Instance and SSO sessions that were issued before the first log file: their later calls are
   * real, their AssumeRole* is simply not in the corpus (a tracer must say so, not guess).
   */
  private seedSessionsIssuedBeforeTheLogs(): void {
    for (const instance of this.ctx.org.instances) {
      if (!this.ctx.rng.chance(0.6)) continue;
      const creationMs = this.window.startMs - this.ctx.rng.between(2, 55) * MINUTE_MS;
      this.ec2Sessions.set(instance.id, this.preexistingSession(instance.role, instance.id, creationMs, { ec2RoleDelivery: "2.0" }));
    }
  }

  private preexistingSession(role: IamRole, sessionName: string, creationMs: number, extra: Partial<RoleSession> = {}): RoleSession {
    return {
      kind: "role-session", role, sessionName, arn: sessionArnOf(role, sessionName), principalId: `${role.roleId}:${sessionName}`,
      accessKeyId: this.newKey(), creationMs, expiresMs: creationMs + 6 * HOUR_MS, mfaAuthenticated: false, sourceIdentity: null,
      ec2RoleDelivery: null, webIdFederation: null, console: false, inScopeOf: null, ...extra,
    };
  }

  // ---- machines -------------------------------------------------------------------------------

  private ec2Session(instance: Ec2Instance, t: number): { session: RoleSession; t: number } {
    const current = this.ec2Sessions.get(instance.id);
    // EC2 re-issues instance credentials about hourly; each issue is a new AssumeRole with the same session name.
    if (current && t - current.creationMs < 60 * MINUTE_MS + this.ctx.rng.int(10 * MINUTE_MS)) return { session: current, t };
    const session = this.assume({
      caller: { kind: "service", service: "ec2.amazonaws.com" }, role: instance.role, sessionName: instance.id, time: t,
      region: instance.region, endpoint: "regional", sourceIPAddress: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com",
      ec2RoleDelivery: this.ctx.rng.chance(0.85) ? "2.0" : "1.0",
    });
    this.ec2Sessions.set(instance.id, session);
    return { session, t: session.creationMs + this.ctx.rng.between(2, 40) * SECOND_MS };
  }

  private ec2Work(t0: number): void {
    const instance = this.ctx.rng.pick(this.ctx.org.instances);
    const { session, t } = this.ec2Session(instance, t0);
    this.burst({
      caller: session, profile: instance.role.name === "ci-runner" ? "ciRunner" : "ec2App", count: this.ctx.rng.between(1, 6),
      accountId: instance.accountId, regions: [instance.region], start: t, ip: instance.publicIp, userAgents: "ec2", instanceId: instance.id,
    });
  }

  private lambdaSession(fn: LambdaFunction, t: number): { session: RoleSession; t: number } {
    const key = `${fn.accountId}:${fn.region}:${fn.name}`;
    const current = this.lambdaSessions.get(key);
    if (current && t - current.creationMs < (20 + this.ctx.rng.int(70)) * MINUTE_MS) return { session: current, t };
    const session = this.assume({
      caller: { kind: "service", service: "lambda.amazonaws.com" }, role: fn.role, sessionName: fn.name, time: t,
      region: fn.region, endpoint: "regional", sourceIPAddress: "lambda.amazonaws.com", userAgent: "lambda.amazonaws.com",
      inScopeOf: { issuerType: "AWS::Lambda::Function", credentialsIssuedTo: `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.name}` },
    });
    this.lambdaSessions.set(key, session);
    return { session, t: session.creationMs + this.ctx.rng.between(1, 3) * SECOND_MS };
  }

  private lambdaWork(t0: number): void {
    const fn = this.ctx.rng.pick(this.ctx.org.functions);
    if (fn.name === "security-scanner") return this.securityAudit(t0);
    const { session, t } = this.lambdaSession(fn, t0);
    this.burst({
      caller: session, profile: fn.name === "guardduty-forwarder" ? "securityHub" : "lambda", count: this.ctx.rng.between(1, 5),
      accountId: fn.accountId, regions: [fn.region], start: t, ip: this.ctx.rng.pick(this.ctx.org.ips.awsService), userAgents: "lambda",
    });
  }

  private vendorPoll(t0: number): void {
    const accountId = this.ctx.rng.pick([PROD, PROD, DEV]);
    const role = this.role(accountId, "vendor-monitoring");
    const ip = this.ctx.rng.pick(this.ctx.org.ips.vendor);
    let session = this.live(this.roleSessions, `vendor:${accountId}`, t0, 58 * MINUTE_MS);
    let t = t0;
    if (!session) {
      // The vendor's own account is outside the org: only this owner copy (AWSAccount) is ever logged.
      session = this.assume({
        caller: { kind: "outside", account: this.ctx.org.outside.vendor }, role, sessionName: this.sessionName(role, "cloudlens-collector"),
        time: t0, region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: this.ua("vendor"), durationSeconds: 3600,
      });
      this.roleSessions.set(`vendor:${accountId}`, session);
      t = session.creationMs;
    }
    this.burst({ caller: session, profile: "vendor", count: this.ctx.rng.between(4, 15), accountId, start: t, ip, userAgents: "vendor" });
  }

  private securityAudit(t0: number): void {
    const scanner = this.ctx.org.functions.find((f) => f.name === "security-scanner")!;
    const { session: hub, t } = this.lambdaSession(scanner, t0);
    const account = this.ctx.rng.pick(this.ctx.org.accounts);
    const role = this.role(account.id, "security-audit");
    let session = this.live(this.roleSessions, `audit:${account.id}`, t, 55 * MINUTE_MS);
    let start = t;
    const ip = this.ctx.rng.pick(this.ctx.org.ips.awsService);
    if (!session) {
      session = this.assume({
        caller: hub, role, sessionName: this.sessionName(role, "SecurityAudit"), time: t + SECOND_MS, region: US_EAST_1,
        endpoint: "regional", sourceIPAddress: ip, userAgent: this.ua("lambda"),
      });
      this.roleSessions.set(`audit:${account.id}`, session);
      start = session.creationMs;
    }
    this.burst({ caller: session, profile: "audit", count: this.ctx.rng.between(3, 10), accountId: account.id, start, ip, userAgents: "lambda" });
  }

  private legacyApp(t: number): void {
    const user = findUser(this.ctx.org, PROD, "legacy-app");
    const caller = this.userKey(user);
    let time = t;
    for (let i = this.ctx.rng.between(1, 4); i > 0; i--) {
      time += this.ctx.rng.between(1, 30) * SECOND_MS;
      const name = this.ctx.rng.pick(["s3:GetObject", "s3:PutObject", "kms:Decrypt", "ssm:GetParameter"] as const);
      this.call(caller, name, { accountId: PROD, region: US_EAST_1, t: time, ip: this.ctx.rng.pick(user.ips), ua: this.ua("ec2") });
    }
  }

  private siemIngest(t0: number): void {
    const user = findUser(this.ctx.org, SECURITY, "siem-ingest");
    const role = this.role(SECURITY, "log-archive-reader");
    const ip = user.ips[0]!;
    let session = this.live(this.roleSessions, "siem", t0, 50 * MINUTE_MS);
    let t = t0;
    if (!session) {
      session = this.assume({
        caller: this.userKey(user), role, sessionName: this.sessionName(role, "siem-ingest"), time: t0, region: US_EAST_1,
        endpoint: "regional", sourceIPAddress: ip, userAgent: this.ua("goSdk"),
      });
      this.roleSessions.set("siem", session);
      t = session.creationMs;
    }
    this.burst({ caller: session, profile: "reporting", count: this.ctx.rng.between(2, 8), accountId: SECURITY, regions: [US_EAST_1], start: t, ip, userAgents: "goSdk" });
  }

  private serviceEvents(t: number): void {
    const roll = this.ctx.rng.float();
    const account = this.ctx.rng.pick(this.ctx.org.accounts);
    const region = this.region();
    if (roll < 0.4) {
      // Service events such as KMS RotateKey carry no userIdentity.type at all.
      const keyId = this.ctx.ids.uuid();
      this.emitRecord(buildRecord({
        eventVersion: "1.08", userIdentity: untypedServiceIdentity(account.id), time: t, eventSource: "kms.amazonaws.com",
        eventName: "RotateKey", region, sourceIPAddress: "AWS Internal", userAgent: "AWS Internal", requestParameters: null,
        responseElements: null, requestID: null, eventID: this.ctx.ids.uuid(), readOnly: false,
        resources: [{ accountId: account.id, type: "AWS::KMS::Key", ARN: `arn:aws:kms:${region}:${account.id}:key/${keyId}` }],
        eventType: "AwsServiceEvent", recipientAccountId: account.id, serviceEventDetails: { keyId },
      }), t);
      return;
    }
    if (roll < 0.55) {
      this.emitRecord(buildRecord({
        eventVersion: "1.08",
        userIdentity: { type: "Unknown", principalId: `${this.ctx.org.identityStoreArn.split("/").pop()}-${this.ctx.ids.uuid()}`, accountId: MANAGEMENT, userName: this.ctx.rng.pick(this.ctx.org.ssoUsers).email },
        time: t, eventSource: "sso.amazonaws.com", eventName: "Authenticate", region: US_EAST_1,
        sourceIPAddress: this.ctx.rng.pick(this.ctx.org.ips.office), userAgent: this.ua("browser"), requestParameters: null, responseElements: null,
        requestID: this.ctx.ids.uuid(), eventID: this.ctx.ids.uuid(), readOnly: false, eventType: "AwsServiceEvent", recipientAccountId: MANAGEMENT,
        serviceEventDetails: { CredentialType: "PASSWORD", UserAuthentication: "Success" },
      }), t);
      return;
    }
    // Service-linked roles: the service's AssumeRole is not in the customer's logs, only what it does.
    const accountId = this.ctx.rng.pick([PROD, DEV]);
    const role = this.role(accountId, "AWSServiceRoleForAutoScaling");
    const key = `asg:${accountId}`;
    let session = this.live(this.roleSessions, key, t, 50 * MINUTE_MS);
    if (!session) {
      session = this.preexistingSession(role, "AutoScaling", t - this.ctx.rng.between(1, 30) * SECOND_MS);
      this.roleSessions.set(key, session);
    }
    this.call(session, this.ctx.rng.pick(["ec2:DescribeInstances", "ec2:CreateTags", "elasticloadbalancing:DescribeTargetHealth"] as const), {
      accountId, region, t, ip: "autoscaling.amazonaws.com", ua: "autoscaling.amazonaws.com", invokedBy: "autoscaling.amazonaws.com",
    });
  }

  private federationReport(t0: number): void {
    const user = findUser(this.ctx.org, DEV, "reporting-svc");
    const ip = user.ips[0]!;
    let session = this.live(this.federatedSessions, "reporting", t0, 11 * HOUR_MS);
    let t = t0;
    if (!session) {
      const time = this.reservations.freeTime(`arn:aws:sts::${DEV}:federated-user/reporting`, t0);
      const issued = getFederationToken(this.ctx, {
        caller: this.userKey(user), name: "reporting", time, region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip,
        userAgent: this.ua("cli"), durationSeconds: 43200, issuedKey: this.newKey(),
        policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","ec2:Describe*","dynamodb:DescribeTable"],"Resource":"*"}]}',
      });
      this.emitRecord(issued.record, time);
      session = issued.session;
      this.federatedSessions.set("reporting", session);
      t = time;
    }
    this.burst({ caller: session, profile: "reporting", count: this.ctx.rng.between(1, 6), accountId: DEV, start: t, ip, userAgents: "cli" });
  }

  /** A principal from an account nobody in the org knows, probing a bucket (only the bucket owner's copy exists). */
  private externalProbe(t: number): void {
    const unknown = this.ctx.org.outside.unknown;
    const bucket = bucketFor(this.ctx.org, PROD, EU_WEST_1, this.ctx.rng);
    const key = `exports/${this.ctx.ids.hex(8)}.csv.gz`;
    const host = `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
    this.emitRecord(buildRecord({
      eventVersion: "1.10", userIdentity: { type: "AWSAccount", principalId: unknown.callerPrincipalId, accountId: unknown.id },
      time: t, eventSource: "s3.amazonaws.com", eventName: "GetObject", region: bucket.region,
      sourceIPAddress: this.ctx.rng.pick(this.ctx.org.ips.attacker), userAgent: this.ua("attacker"), errorCode: "AccessDenied", errorMessage: "Access Denied",
      requestParameters: { bucketName: bucket.name, Host: host, key }, responseElements: null,
      additionalEventData: { SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 0, AuthenticationMethod: "AuthHeader", "x-amz-id-2": this.ctx.ids.amzId2(), bytesTransferredOut: 243 },
      requestID: this.ctx.ids.s3RequestId(), eventID: this.ctx.ids.uuid(), readOnly: true,
      resources: [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket.name}/${key}` }, { accountId: PROD, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket.name}` }],
      recipientAccountId: PROD, eventCategory: "Data", tlsHost: host,
    }), t);
  }

  // ---- humans ---------------------------------------------------------------------------------

  private humanTargets(user: IamUser): { role: IamRole; mfa: boolean }[] {
    if (user.accountId === DEV) {
      return [{ role: this.role(DEV, "DevAdmin"), mfa: false }, { role: this.role(DEV, "sandbox-admin"), mfa: false }, { role: this.role(DEV, "ReadOnly"), mfa: false }];
    }
    return [
      { role: this.role(IDENTITY, "engineer"), mfa: false }, { role: this.role(IDENTITY, "data-engineer"), mfa: false },
      { role: this.role(IDENTITY, "ReadOnly"), mfa: false }, { role: this.role(IDENTITY, "identity-admin"), mfa: true },
      { role: this.role(PROD, "ReadOnly"), mfa: false }, { role: this.role(PROD, "ProdAdmin"), mfa: true },
      { role: this.role(DEV, "DevAdmin"), mfa: false }, { role: this.role(DEV, "ReadOnly"), mfa: false },
      { role: this.role(DEV, "ops-admin"), mfa: true }, { role: this.role(SECURITY, "incident-responder"), mfa: true },
      { role: this.role(SECURITY, "ReadOnly"), mfa: false }, { role: this.role(MANAGEMENT, "ReadOnly"), mfa: false },
    ];
  }

  /** CLI session names are free-form and collide: the user's name, a hard-coded name, or an SDK default. */
  private cliSessionName(user: IamUser, t: number): string {
    return this.ctx.rng.weighted([
      [user.name, 6], ["cli-session", 2], ["default", 1], [`botocore-session-${Math.floor(t / 1000)}`, 2],
    ] as const);
  }

  private stsEndpoint(): { region: string; endpoint: StsEndpoint; servingRegion: string } {
    const region = this.region();
    return this.ctx.rng.chance(0.2)
      ? { region: US_EAST_1, endpoint: "global", servingRegion: region }
      : { region, endpoint: "regional", servingRegion: region };
  }

  private humanCli(t0: number): void {
    const user = this.ctx.rng.chance(0.12) ? findUser(this.ctx.org, DEV, "erin") : this.ctx.rng.pick(this.humans);
    const ip = this.ctx.rng.pick(user.ips);
    const ua = this.ua("cli");
    const caller = this.userKey(user);
    if (this.ctx.rng.chance(0.25)) {
      this.burst({ caller, profile: "humanRead", count: this.ctx.rng.between(1, 5), accountId: user.accountId, start: t0, ip, userAgents: "cli" });
      return;
    }
    const target = this.ctx.rng.pick(this.humanTargets(user));
    const key = `cli:${user.name}:${target.role.arn}`;
    let session = this.live(this.roleSessions, key, t0, 55 * MINUTE_MS);
    let t = t0;
    if (!session) {
      const sts = this.stsEndpoint();
      session = this.assume({
        caller, role: target.role, sessionName: this.sessionName(target.role, this.cliSessionName(user, t0)), time: t0,
        region: sts.region, endpoint: sts.endpoint, servingRegion: sts.servingRegion, sourceIPAddress: ip, userAgent: ua,
        ...(target.mfa && user.mfaSerial ? { serialNumber: user.mfaSerial } : {}),
        ...(this.ctx.rng.chance(0.2) ? { durationSeconds: 3600 } : {}),
      });
      this.roleSessions.set(key, session);
      t = session.creationMs;
      // Now and then the session hops on into a second role (role chaining: the caller is AssumedRole).
      if (this.ctx.rng.chance(0.15) && target.role.name === "engineer") {
        const next = this.ctx.rng.pick([this.role(DEV, "DevAdmin"), this.role(PROD, "ReadOnly"), this.role(SECURITY, "ReadOnly")]);
        t += this.ctx.rng.between(2, 30) * SECOND_MS;
        session = this.assume({
          caller: session, role: next, sessionName: this.sessionName(next, session.sessionName), time: t, region: sts.region,
          endpoint: sts.endpoint, servingRegion: sts.servingRegion, sourceIPAddress: ip, userAgent: ua,
        });
        t = session.creationMs;
      }
    }
    const write = this.ctx.rng.chance(0.2);
    this.burst({ caller: session, profile: write ? "humanWrite" : "humanRead", count: this.ctx.rng.between(2, 10), accountId: session.role.accountId, start: t, ip, userAgents: "cli", deniedRate: 0.03 });
  }

  private consoleLogin(user: IamUser, t: number): UserSessionCaller {
    const current = this.live(this.consoleUsers, user.name, t, 10 * HOUR_MS);
    if (current) return current;
    const ip = this.ctx.rng.pick(user.ips);
    this.emitRecord(iamUserConsoleLogin(this.ctx, user, user.accountId, { time: t, sourceIPAddress: ip, userAgent: this.ua("browser"), mfaUsed: true, success: true }), t);
    const session: UserSessionCaller = { kind: "user-session", user, accessKeyId: this.ctx.ids.temporaryAccessKeyId(), creationMs: t, mfaAuthenticated: true, console: true };
    this.consoleUsers.set(user.name, session);
    return session;
  }

  private humanConsole(t0: number): void {
    const user = this.ctx.rng.pick(this.humans);
    const login = this.consoleLogin(user, t0);
    const ip = this.ctx.rng.pick(user.ips);
    let t = Math.max(t0, login.creationMs) + this.ctx.rng.between(5, 60) * SECOND_MS;
    if (this.ctx.rng.chance(0.25)) {
      this.burst({ caller: login, profile: "humanRead", count: this.ctx.rng.between(1, 5), accountId: IDENTITY, regions: [US_EAST_1], start: t, ip, userAgents: "console" });
      return;
    }
    const role = this.ctx.rng.pick([this.role(PROD, "ProdAdmin"), this.role(PROD, "ReadOnly"), this.role(DEV, "DevAdmin"), this.role(SECURITY, "incident-responder"), this.role(SECURITY, "ReadOnly")]);
    const key = `console:${user.name}:${role.arn}`;
    let session = this.live(this.roleSessions, key, t, 55 * MINUTE_MS);
    if (!session) {
      t = this.issueTime(role, user.name, t);
      // A console switch: SwitchRole (real client IP) plus AssumeRole copies that both say "AWS Internal".
      session = this.assume({
        caller: login, role, sessionName: user.name, time: t, region: US_EAST_1, endpoint: "global",
        sourceIPAddress: ip, userAgent: "AWS Internal", console: true,
      });
      this.emitRecord(switchRole(this.ctx, session, user.arn, { time: t, region: US_EAST_1, sourceIPAddress: ip, userAgent: this.ua("browser") }), t);
      this.roleSessions.set(key, session);
    }
    this.burst({ caller: session, profile: this.ctx.rng.chance(0.2) ? "humanWrite" : "humanRead", count: this.ctx.rng.between(3, 12), accountId: role.accountId, start: t, ip, userAgents: "console" });
  }

  private ssoUser(t0: number): void {
    const person: SsoUser = this.ctx.rng.pick(this.ctx.org.ssoUsers);
    const account = this.ctx.rng.pick(this.ctx.org.accounts);
    const permissionSet = this.ctx.rng.weighted([["ReadOnlyAccess", 5], ["PowerUserAccess", 3], ["AdministratorAccess", 2]] as const);
    const role = this.role(account.id, ssoRoleName(account.id, permissionSet));
    const ip = this.ctx.rng.pick(person.ips);
    const key = `sso:${person.email}:${role.arn}`;
    let session = this.live(this.roleSessions, key, t0, 8 * HOUR_MS);
    let t = t0;
    if (!session) {
      t = this.issueTime(role, person.email, t0);
      this.emitRecord(getRoleCredentials(this.ctx, person, account.id, permissionSet, t, ip), t);
      const issued = assumeRoleWithSaml(this.ctx, {
        provider: samlProviderFor(this.ctx.org, account.id, "sso"), subject: person.email, role, sessionName: person.email, time: t,
        region: US_EAST_1, endpoint: "regional", sourceIPAddress: this.ctx.rng.pick(this.ctx.org.ips.awsService), userAgent: this.ua("ssoService"),
        durationSeconds: 28800, issuedKey: this.newKey(),
      });
      this.emitRecord(issued.record, t);
      // Opening the account from the portal gives a console session; `aws sso login` gives CLI keys.
      session = { ...issued.session, console: this.ctx.rng.chance(0.4) };
      this.roleSessions.set(key, session);
    }
    const profile: CallProfile = permissionSet === "ReadOnlyAccess" ? "humanRead" : this.ctx.rng.chance(0.3) ? "humanWrite" : "humanRead";
    this.burst({ caller: session, profile: account.id === MANAGEMENT ? "management" : profile, count: this.ctx.rng.between(2, 10), accountId: account.id, start: t, ip, userAgents: session.console ? "console" : "cli" });
  }

  private oktaSaml(t0: number): void {
    const person = this.ctx.rng.pick(this.ctx.org.oktaUsers);
    const role = this.role(IDENTITY, this.ctx.rng.pick(["okta-engineer", "okta-readonly"]));
    const ip = this.ctx.rng.pick(person.ips);
    const key = `okta:${person.email}:${role.name}`;
    let session = this.live(this.roleSessions, key, t0, 55 * MINUTE_MS);
    let t = t0;
    const sts = this.stsEndpoint();
    if (!session) {
      t = this.issueTime(role, person.email, t0);
      const issued = assumeRoleWithSaml(this.ctx, {
        provider: samlProviderFor(this.ctx.org, IDENTITY, "okta"), subject: person.email, role, sessionName: person.email, time: t,
        region: sts.endpoint === "global" ? US_EAST_1 : sts.region, endpoint: sts.endpoint, sourceIPAddress: ip, userAgent: this.ua("saml2aws"),
        durationSeconds: 3600, issuedKey: this.newKey(),
      });
      this.emitRecord(issued.record, t);
      session = issued.session;
      this.roleSessions.set(key, session);
    }
    if (role.name === "okta-engineer" && this.ctx.rng.chance(0.5)) {
      const next = this.ctx.rng.pick([this.role(PROD, "ReadOnly"), this.role(DEV, "DevAdmin"), this.role(SECURITY, "ReadOnly")]);
      t += this.ctx.rng.between(3, 40) * SECOND_MS;
      session = this.assume({
        caller: session, role: next, sessionName: this.sessionName(next, person.email), time: t, region: sts.region,
        endpoint: sts.endpoint, servingRegion: sts.servingRegion, sourceIPAddress: ip, userAgent: this.ua("cli"),
      });
      t = session.creationMs;
    }
    this.burst({ caller: session, profile: "humanRead", count: this.ctx.rng.between(2, 8), accountId: session.role.accountId, start: t, ip, userAgents: "cli" });
  }

  private githubDeploy(t0: number): void {
    const repo = this.ctx.rng.pick(this.ctx.org.githubRepos);
    const toProd = this.ctx.rng.chance(0.35);
    const ref = toProd ? this.ctx.rng.pick(["ref:refs/heads/main", "environment:production"]) : this.ctx.rng.pick(["ref:refs/heads/main", "pull_request", "ref:refs/heads/develop"]);
    const accountId = toProd ? PROD : DEV;
    const role = this.role(accountId, "github-actions-deploy");
    const ip = this.ctx.rng.pick(this.ctx.org.ips.github);
    // configure-aws-credentials names every session "GitHubActions" unless told otherwise.
    const sessionName = this.sessionName(role, this.ctx.rng.chance(0.8) ? "GitHubActions" : `gh-${this.ctx.rng.between(11_000_000_000, 11_999_999_999)}`);
    const t = this.issueTime(role, sessionName, t0);
    const issued = assumeRoleWithWebIdentity(this.ctx, {
      provider: oidcProviderFor(this.ctx.org, accountId), subject: `repo:${repo}:${ref}`, audience: "sts.amazonaws.com", role, sessionName,
      time: t, region: US_EAST_1, sourceIPAddress: ip, userAgent: USER_AGENTS.github[0], issuedKey: this.newKey(),
    });
    this.emitRecord(issued.record, t);
    let session = issued.session;
    let next = this.burst({ caller: session, profile: "ciDeploy", count: this.ctx.rng.between(2, 8), accountId, regions: [US_EAST_1, US_EAST_1, EU_WEST_1], start: t, ip, userAgents: "github" });
    if (!toProd && this.ctx.rng.chance(0.25)) {
      const prodRole = this.role(PROD, "prod-deployer");
      session = this.assume({
        caller: session, role: prodRole, sessionName: this.sessionName(prodRole, this.ctx.rng.chance(0.6) ? "deploy" : "GitHubActions"),
        time: next + SECOND_MS, region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: USER_AGENTS.github[0],
      });
      next = session.creationMs;
      this.burst({ caller: session, profile: "ciDeploy", count: this.ctx.rng.between(3, 10), accountId: PROD, regions: [US_EAST_1, EU_WEST_1], start: next, ip, userAgents: "github" });
    }
  }

  private terraformPlan(t0: number): void {
    const user = findUser(this.ctx.org, IDENTITY, "terraform");
    const account = this.ctx.rng.pick(this.ctx.org.accounts);
    const role = this.role(account.id, "terraform-apply");
    const ip = this.ctx.rng.pick(user.ips);
    const session = this.assume({
      caller: this.userKey(user), role,
      sessionName: this.sessionName(role, this.ctx.rng.chance(0.7) ? "terraform" : `aws-go-sdk-${t0}${this.ctx.ids.digits(6)}`),
      time: t0, region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: USER_AGENTS.terraform[0],
    });
    this.burst({ caller: session, profile: "terraform", count: this.ctx.rng.between(5, 25), accountId: account.id, regions: [US_EAST_1, US_EAST_1, this.region()], start: session.creationMs, ip, userAgents: "terraform" });
  }

  private deployBot(t0: number): void {
    const user = findUser(this.ctx.org, IDENTITY, "deploy-bot");
    const role = this.role(PROD, "prod-deployer");
    const ip = user.ips[0]!;
    const session = this.assume({
      caller: this.userKey(user), role, sessionName: this.sessionName(role, "deploy"), time: t0, region: US_EAST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: this.ua("goSdk"),
    });
    this.burst({ caller: session, profile: "ciDeploy", count: this.ctx.rng.between(3, 10), accountId: PROD, regions: [US_EAST_1], start: session.creationMs, ip, userAgents: "goSdk" });
  }

  private failedCall(t: number): void {
    const user = this.ctx.rng.pick(this.humans);
    const candidates: Caller[] = [this.userKey(user), ...[...this.roleSessions.values()].filter((s) => !s.console && t - s.creationMs < HOUR_MS && t >= s.creationMs).slice(0, 8)];
    const caller = this.ctx.rng.pick(candidates);
    const accountId = caller.kind === "role-session" ? caller.role.accountId : user.accountId;
    const name = pickCall(this.ctx, this.ctx.rng.chance(0.6) ? "humanWrite" : "audit");
    this.call(caller, name, { accountId, region: this.region(), t, ip: this.ctx.rng.pick(user.ips), ua: this.ua("cli"), denied: true });
  }

  private failedAssumeRoleThenRetry(t: number): void {
    const user = this.ctx.rng.pick(this.humans);
    const target = this.ctx.rng.pick(this.humanTargets(user).filter((x) => x.mfa));
    const ip = this.ctx.rng.pick(user.ips);
    const sessionName = this.sessionName(target.role, user.name);
    const time = this.issueTime(target.role, sessionName, t);
    const req: AssumeRoleRequest = {
      caller: this.userKey(user), role: target.role, sessionName, time, region: US_EAST_1, endpoint: "regional",
      sourceIPAddress: ip, userAgent: this.ua("cli"),
    };
    this.emitRecord(failedAssumeRole(this.ctx, req), time);
    if (this.ctx.rng.chance(0.6) && user.mfaSerial) {
      const session = this.assume({ ...req, time: time + this.ctx.rng.between(8, 40) * SECOND_MS, serialNumber: user.mfaSerial });
      this.roleSessions.set(`cli:${user.name}:${target.role.arn}`, session);
    }
  }

  private consoleLoginFailure(t: number): void {
    const known = this.ctx.rng.chance(0.6);
    const user = this.ctx.rng.pick(this.humans);
    this.emitRecord(iamUserConsoleLogin(this.ctx, known ? user : null, IDENTITY, {
      time: t, sourceIPAddress: known ? this.ctx.rng.pick(user.ips) : this.ctx.rng.pick(this.ctx.org.ips.attacker),
      userAgent: this.ua("browser"), mfaUsed: false, success: false,
    }), t);
  }

  private getSessionTokenUser(t0: number): void {
    const user = findUser(this.ctx.org, IDENTITY, this.ctx.rng.pick(["dave", "grace", "ivan"]));
    const ip = this.ctx.rng.pick(user.ips);
    let session = this.live(this.gstSessions, user.name, t0, 11 * HOUR_MS);
    if (!session) {
      const issued = getSessionToken(this.ctx, {
        caller: this.userKey(user), time: t0, region: US_EAST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: this.ua("cli"),
        durationSeconds: 43200, serialNumber: user.mfaSerial!, issuedKey: this.newKey(),
      });
      this.emitRecord(issued.record, t0);
      session = issued.session;
      this.gstSessions.set(user.name, session);
    }
    this.burst({ caller: session, profile: "humanRead", count: this.ctx.rng.between(1, 6), accountId: IDENTITY, start: t0, ip, userAgents: "cli" });
  }

  private rootActivity(t: number): void {
    const accountId = MANAGEMENT;
    let root = this.live(this.rootSessions, accountId, t, 2 * HOUR_MS);
    const ip = this.ctx.rng.pick(this.ctx.org.ips.office);
    if (!root) {
      this.emitRecord(rootConsoleLogin(this.ctx, accountId, { time: t, sourceIPAddress: ip, userAgent: this.ua("browser"), mfaUsed: true, success: true }), t);
      root = { kind: "root", accountId, accessKeyId: this.ctx.ids.temporaryAccessKeyId(), creationMs: t, mfaAuthenticated: true, console: true };
      this.rootSessions.set(accountId, root);
    }
    this.burst({ caller: root, profile: "management", count: this.ctx.rng.between(1, 4), accountId, regions: [US_EAST_1], start: t, ip, userAgents: "console" });
  }
}

/** The Identity Center portal call that precedes an SSO role session, logged in the management account. */
export function getRoleCredentials(ctx: GenContext, person: SsoUser, accountId: string, permissionSet: string, t: number, ip: string): JsonObject {
  return buildRecord({
    eventVersion: "1.11",
    userIdentity: {
      type: "IdentityCenterUser", accountId: MANAGEMENT,
      onBehalfOf: { userId: person.userId, identityStoreArn: ctx.org.identityStoreArn },
      credentialId: `AAAAAG${ctx.ids.blob(76).replace(/[+/]/g, "_")}`,
    },
    time: t, eventSource: "sso.amazonaws.com", eventName: "GetRoleCredentials", region: US_EAST_1, sourceIPAddress: ip,
    userAgent: ctx.rng.pick(USER_AGENTS.ssoCli), requestParameters: null, responseElements: null,
    requestID: ctx.ids.uuid(), eventID: ctx.ids.uuid(), readOnly: true, eventType: "AwsServiceEvent",
    recipientAccountId: MANAGEMENT, serviceEventDetails: { role_name: permissionSet, account_id: accountId },
  });
}

