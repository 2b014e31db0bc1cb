import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { afterEach } from "vitest";
import type { CloudTrailAccounts } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import { accessKeyIdFor, startFakeCloudTrailServer, type FakeCloudTrailOptions, type FakeCloudTrailServer } from "../../helpers/fake-cloudtrail-server.js";

export interface FakeAccountsOptions {
  /** Default accounts; the server's accounts when omitted. */
  defaultAccounts?: readonly string[];
  /** Accounts that have credentials (a client); the server's accounts when omitted. Others: "no credentials". */
  reachable?: readonly string[];
}

/**
 * CloudTrailAccounts over a fake CloudTrail server, as the CLI would give them with one profile per
 * account: one SDK client per account and region, signing with that account's fake key; an account
 * without credentials is unreachable with a reason. No SDK retries: the source handles throttling.
 */
export function fakeCloudTrailAccounts(server: FakeCloudTrailServer, options: FakeAccountsOptions = {}): CloudTrailAccounts & { destroy(): void } {
  const reachable = new Set(options.reachable ?? server.accounts);
  const clients: CloudTrailClient[] = [];
  return {
    defaultAccounts: async () => [...(options.defaultAccounts ?? server.accounts)],
    async client(accountId, region) {
      if (!reachable.has(accountId)) return { ok: false, reason: "no credentials for this account (no profile or role to assume)" };
      const client = new CloudTrailClient({
        endpoint: server.url, region, maxAttempts: 1,
        credentials: { accessKeyId: accessKeyIdFor(accountId), secretAccessKey: "fake-secret" },
      });
      clients.push(client);
      return { ok: true, client };
    },
    destroy: () => clients.forEach((c) => c.destroy()),
  };
}

/** A fake endpoint per test, and the clients made for it; all closed after each test. */
export function fakeCloudTrailPerTest() {
  let current: FakeCloudTrailServer | null = null;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    await current?.close();
    current = null;
  });
  return {
    async start(options: FakeCloudTrailOptions): Promise<FakeCloudTrailServer> {
      current = await startFakeCloudTrailServer(options);
      return current;
    },
    get server(): FakeCloudTrailServer {
      if (!current) throw new Error("no fake CloudTrail server was started in this test");
      return current;
    },
    /** Clients for this test's server (fakeCloudTrailAccounts), destroyed after the test. */
    accounts(options: FakeAccountsOptions = {}): CloudTrailAccounts {
      const accounts = fakeCloudTrailAccounts(this.server, options);
      cleanups.push(accounts.destroy);
      return accounts;
    },
  };
}
