import { SECOND_MS, wholeSecond } from "./time-format.js";

/**
 * Session ARNs and seconds the scenarios own. Background noise reuses the scenarios' roles and
 * session names on purpose (that is what makes ARN-only joins fail) but must never issue the same
 * session ARN within a few seconds of a scenario's issuing call, or the scenario's expected chain
 * would stop being provable from the logs.
 */
export class Reservations {
  private readonly seconds = new Set<string>();
  private readonly wholeArns = new Set<string>();

  /** Keeps noise from issuing `sessionArn` within ±marginSeconds of `ms`. */
  reserveSecond(sessionArn: string, ms: number, marginSeconds = 3): void {
    const second = wholeSecond(ms);
    for (let d = -marginSeconds; d <= marginSeconds; d++) this.seconds.add(`${sessionArn}|${second + d * SECOND_MS}`);
  }

  /** Keeps noise from ever issuing `sessionArn` (a lookback scenario counts every candidate). */
  reserveArn(sessionArn: string): void {
    this.wholeArns.add(sessionArn);
  }

  isArnReserved(sessionArn: string): boolean {
    return this.wholeArns.has(sessionArn);
  }

  /** The first time at or after `ms` at which noise may issue `sessionArn`. */
  freeTime(sessionArn: string, ms: number): number {
    let t = ms;
    while (this.seconds.has(`${sessionArn}|${wholeSecond(t)}`)) t += 2 * SECOND_MS;
    return t;
  }
}
