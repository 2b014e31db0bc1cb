import { EU_WEST_1, IDENTITY, PROD, SECURITY, samlProviderFor } from "../org-model.js";
import { assumeRoleWithSaml } from "../sts-calls.js";
import type { ScenarioDefinition } from "./scenario-kit.js";

export const samlMultiAccount: ScenarioDefinition = {
  name: "saml-multi-account",
  build(kit) {
    const priya = kit.org.oktaUsers[0]!;
    const provider = samlProviderFor(kit.org, IDENTITY, "okta");
    const ip = kit.rng.pick(kit.org.ips.attacker);
    const ua = kit.ua("saml2aws");
    const cli = kit.ua("cli");
    const oktaRole = kit.role(IDENTITY, "okta-engineer");
    const saml = assumeRoleWithSaml(kit.ctx, {
      provider, subject: priya.email, role: oktaRole, sessionName: priya.email, time: kit.at(0), region: EU_WEST_1,
      endpoint: "regional", sourceIPAddress: ip, userAgent: ua, durationSeconds: 3600,
    });
    kit.emit(saml.record);
    kit.reserve(saml.session.arn, saml.session.creationMs);
    kit.call(saml.session, "sts:GetCallerIdentity", { accountId: IDENTITY, region: EU_WEST_1 }, { time: kit.at(7), sourceIPAddress: ip, userAgent: cli });

    const responder = kit.assumeRole({
      caller: saml.session, role: kit.role(SECURITY, "incident-responder"), sessionName: priya.email, time: kit.at(38),
      region: EU_WEST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: cli,
    });
    kit.call(responder.session, "iam:ListRoles", { accountId: SECURITY, region: EU_WEST_1 }, { time: kit.at(55), sourceIPAddress: ip, userAgent: cli });

    const breakGlass = kit.assumeRole({
      caller: responder.session, role: kit.role(PROD, "prod-break-glass"), sessionName: priya.email, time: kit.at(96),
      region: EU_WEST_1, endpoint: "regional", sourceIPAddress: ip, userAgent: cli,
    });
    const target = { accountId: PROD, region: EU_WEST_1 };
    kit.call(breakGlass.session, "secretsmanager:ListSecrets", target, { time: kit.at(121), sourceIPAddress: ip, userAgent: cli });
    const subject = kit.call(breakGlass.session, "secretsmanager:GetSecretValue", target, { time: kit.at(143), sourceIPAddress: ip, userAgent: cli });
    return kit.trace({
      story: "priya's Okta SAML sign-in from an unfamiliar IP became okta-engineer in identity, hopped to incident-responder in security and on to prod-break-glass in prod, which read a production secret.",
      subject,
      hops: [
        kit.hop({ sessionArn: breakGlass.session.arn, issuing: breakGlass.ownerCopy, callerCopy: breakGlass.callerCopy, callerType: "AssumedRole" }),
        kit.hop({ sessionArn: responder.session.arn, issuing: responder.ownerCopy, callerCopy: responder.callerCopy, callerType: "AssumedRole" }),
        kit.hop({ sessionArn: saml.session.arn, issuing: saml.record, callerType: "SAMLUser" }),
      ],
      origin: kit.origin({ type: "SAMLUser", sourceIPAddress: ip, userName: priya.email, identityProvider: provider.nameQualifier }),
    });
  },
};
