/**
 * --account-profile ACCOUNT=PROFILE values as a map from account id to profile name. A bad value
 * is a plain Error whose one-line message names it (the CLI turns it into a usage error).
 */
export function parseAccountProfiles(values: readonly string[]): Map<string, string> {
  const profiles = new Map<string, string>();
  for (const value of values) {
    const match = /^\s*(\d+)\s*=\s*(\S+)\s*$/.exec(value);
    if (!match) {
      throw new Error(`--account-profile ${JSON.stringify(value)}: expected ACCOUNT=PROFILE, e.g. 222222222222=ir-prod`);
    }
    const [, accountId = "", profile = ""] = match;
    if (!/^\d{12}$/.test(accountId)) {
      throw new Error(`--account-profile ${JSON.stringify(value)}: the account id must be 12 digits`);
    }
    const earlier = profiles.get(accountId);
    if (earlier !== undefined && earlier !== profile) {
      throw new Error(`--account-profile ${JSON.stringify(value)}: account ${accountId} already has profile ${earlier}`);
    }
    profiles.set(accountId, profile);
  }
  return profiles;
}
