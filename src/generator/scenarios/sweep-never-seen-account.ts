import { PROD, US_EAST_1 } from "../org-model.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

/**
 * Account 555555555555, in no allow entry and never seen assuming anything before, assumes ProdAdmin
 * in prod within two hours of github-actions-oidc rewriting ProdAdmin's trust policy to admit it:
 * finding. Only prod's AWSAccount copy exists; the caller's own account logs are not the org's.
 */
export const sweepNeverSeenAccount: ScenarioDefinition = {
  name: "sweep-never-seen-account",
  placement: { after: "github-actions-oidc", minMinutes: 45, maxMinutes: 110 },
  build(kit) {
    const unknown = { kind: "outside" as const, account: kit.org.outside.unknown };
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("attacker");
    const t = kit.at(0);
    const issued = kit.assumeRole({
      caller: unknown, role: kit.role(PROD, "ProdAdmin"), sessionName: `botocore-session-${Math.floor(t / 1000)}`, time: t, region: US_EAST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua,
    });
    const target = { accountId: PROD, region: US_EAST_1 };
    kit.call(issued.session, "sts:GetCallerIdentity", target, { time: kit.at(5), sourceIPAddress: ip, userAgent: ua });
    kit.call(issued.session, "secretsmanager:ListSecrets", target, { time: kit.at(26), sourceIPAddress: ip, userAgent: ua });
    kit.call(issued.session, "secretsmanager:GetSecretValue", target, { time: kit.at(40), sourceIPAddress: ip, userAgent: ua });
    kit.expectFinding("unexpected-cross-account-assume-role", issued.ownerCopy,
      "Account 555555555555, which no allow entry names, assumed ProdAdmin in prod after a GitHub Actions run had added it to ProdAdmin's trust policy, and read production secrets.");
    return null;
  },
};
