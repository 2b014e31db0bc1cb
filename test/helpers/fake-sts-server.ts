/**
 * A fake AWS STS for tests: AssumeRole and GetCallerIdentity over the AWS query protocol
 * (POST form-urlencoded, XML answers shaped like the real service's, errors as <ErrorResponse>).
 * The caller is known by the access key id in the SigV4 Authorization header; signatures are not
 * checked. Keys it issues belong to the assumed role's session, so chained calls work.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIdentity {
  account: string;
  /** e.g. arn:aws:iam::111111111111:user/alice */
  arn: string;
  userId?: string;
}

export interface AssumableRole {
  /** When set, AssumeRole needs SerialNumber = serialNumber and TokenCode = tokenCode. */
  mfa?: { serialNumber: string; tokenCode: string };
}

export interface FakeStsOptions {
  /** Long-term access keys the fake knows: access key id → who it is. */
  identities: Record<string, FakeIdentity>;
  /** Role ARNs any known caller may assume; every other role is AccessDenied. */
  roles?: Record<string, AssumableRole>;
  /** Access key ids whose session is over: any call with them is ExpiredToken. */
  expiredAccessKeys?: readonly string[];
}

export interface StsRequestRecord {
  action: string;
  /** The form fields as sent (Action, Version, RoleArn, RoleSessionName, SerialNumber, TokenCode, …). */
  params: Record<string, string>;
  accessKeyId: string | null;
  status: number;
}

export interface FakeStsServer {
  url: string;
  requests: StsRequestRecord[];
  /** Credentials issued by AssumeRole, newest last. */
  issued: { roleArn: string; accessKeyId: string; secretAccessKey: string; sessionToken: string }[];
  close(): Promise<void>;
}

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

export async function startFakeStsServer(options: FakeStsOptions): Promise<FakeStsServer> {
  const identities = new Map(Object.entries(options.identities));
  const expired = new Set(options.expiredAccessKeys ?? []);
  const requests: StsRequestRecord[] = [];
  const issued: FakeStsServer["issued"] = [];

  const answer = (params: Record<string, string>, accessKeyId: string | null): { status: number; body: string } => {
    if (accessKeyId !== null && expired.has(accessKeyId)) {
      return errorResponse(403, "ExpiredToken", "The security token included in the request is expired");
    }
    const caller = accessKeyId === null ? undefined : identities.get(accessKeyId);
    if (caller === undefined) {
      return errorResponse(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }
    switch (params["Action"]) {
      case "GetCallerIdentity":
        return { status: 200, body: getCallerIdentityXml(caller) };
      case "AssumeRole": {
        const roleArn = params["RoleArn"] ?? "";
        const sessionName = params["RoleSessionName"] ?? "";
        const role = options.roles?.[roleArn];
        if (role === undefined) {
          return errorResponse(403, "AccessDenied", `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
        }
        if (role.mfa && (params["SerialNumber"] !== role.mfa.serialNumber || params["TokenCode"] !== role.mfa.tokenCode)) {
          return errorResponse(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ");
        }
        const account = roleArn.split(":")[4] ?? "";
        const roleName = roleArn.split("/").slice(1).join("/");
        const roleId = `AROA${hex(8).toUpperCase()}`;
        const session = {
          accessKeyId: `ASIA${hex(8).toUpperCase()}`,
          secretAccessKey: hex(20),
          sessionToken: hex(32),
        };
        const assumedArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
        identities.set(session.accessKeyId, { account, arn: assumedArn, userId: `${roleId}:${sessionName}` });
        issued.push({ roleArn, ...session });
        const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
        return {
          status: 200,
          body:
            `<AssumeRoleResponse xmlns="${XMLNS}"><AssumeRoleResult>` +
            `<AssumedRoleUser><AssumedRoleId>${roleId}:${xml(sessionName)}</AssumedRoleId><Arn>${xml(assumedArn)}</Arn></AssumedRoleUser>` +
            `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>` +
            `<SessionToken>${session.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        };
      }
      default:
        return errorResponse(400, "InvalidAction", `Could not find operation ${params["Action"] ?? ""} for version 2011-06-15`);
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const accessKeyId = accessKeyIdOf(req.headers.authorization);
      const { status, body } = answer(params, accessKeyId);
      requests.push({ action: params["Action"] ?? "", params, accessKeyId, status });
      res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId() });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    issued,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** "AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/sts/aws4_request, SignedHeaders=…, Signature=…" → AKID */
function accessKeyIdOf(authorization: string | undefined): string | null {
  const match = /Credential=([^/,\s]+)\//.exec(authorization ?? "");
  return match?.[1] ?? null;
}

function getCallerIdentityXml(caller: FakeIdentity): string {
  return (
    `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult>` +
    `<Arn>${xml(caller.arn)}</Arn><UserId>${xml(caller.userId ?? `AIDA${caller.account}`)}</UserId><Account>${caller.account}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
  );
}

function errorResponse(status: number, code: string, message: string): { status: number; body: string } {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error>` +
      `<RequestId>${requestId()}</RequestId></ErrorResponse>`,
  };
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

function requestId(): string {
  const h = hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
