import { formatIsoSeconds } from "../../core/cloudtrail-time.js";
import type { Coverage } from "../event-source.js";

/** A CoverageAccumulator's content, as plain data that can be stored (see local-index.ts). */
export interface CoverageSnapshot {
  accounts: string[];
  regions: string[];
  earliestMs: number | null;
  latestMs: number | null;
}

/** Collects what was looked at (accounts, regions, event-time span) for one file or one query. */
export class CoverageAccumulator {
  snapshot(): CoverageSnapshot {
    return { accounts: [...this.accounts], regions: [...this.regions], earliestMs: this.earliestMs, latestMs: this.latestMs };
  }

  private readonly accounts = new Set<string>();
  private readonly regions = new Set<string>();
  private earliestMs: number | null = null;
  private latestMs: number | null = null;

  addAccount(accountId: string | null): void {
    if (accountId !== null) this.accounts.add(accountId);
  }

  addRegion(region: string | null): void {
    if (region !== null) this.regions.add(region);
  }

  addEventTime(ms: number | null): void {
    if (ms === null) return;
    if (this.earliestMs === null || ms < this.earliestMs) this.earliestMs = ms;
    if (this.latestMs === null || ms > this.latestMs) this.latestMs = ms;
  }

  /** As merge, from stored coverage (a file the index let a query skip). */
  mergeSnapshot(snapshot: CoverageSnapshot): void {
    for (const account of snapshot.accounts) this.accounts.add(account);
    for (const region of snapshot.regions) this.regions.add(region);
    this.addEventTime(snapshot.earliestMs);
    this.addEventTime(snapshot.latestMs);
  }

  merge(other: CoverageAccumulator): void {
    for (const account of other.accounts) this.accounts.add(account);
    for (const region of other.regions) this.regions.add(region);
    this.addEventTime(other.earliestMs);
    this.addEventTime(other.latestMs);
  }

  toCoverage(): Coverage {
    return {
      accounts: [...this.accounts].sort(),
      regions: [...this.regions].sort(),
      earliestEventTime: this.earliestMs === null ? null : formatIsoSeconds(this.earliestMs),
      latestEventTime: this.latestMs === null ? null : formatIsoSeconds(this.latestMs),
    };
  }
}
