import { describe, expect, it } from "vitest";
import { parseTrustPolicy, type AdmittedPrincipal } from "../../../src/core/sweep/trust-policy.js";

function allow(principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra }] };
}

function principals(document: unknown): Array<Omit<AdmittedPrincipal, "conditions">> {
  const parsed = parseTrustPolicy(document);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.principals.map(({ conditions: _conditions, ...p }) => p);
}

const p = (kind: AdmittedPrincipal["kind"], value: string, accountId: string | null, conditionKeys: string[] = []) => (
  { element: "Principal", kind, value, accountId, conditionKeys }
);

describe("parseTrustPolicy: Principal shapes", () => {
  it.each([
    ["bare account id", { AWS: "555555555555" }, [p("AWS", "555555555555", "555555555555")]],
    ["account root ARN", { AWS: "arn:aws:iam::555555555555:root" }, [p("AWS", "arn:aws:iam::555555555555:root", "555555555555")]],
    ["role ARN with a path", { AWS: "arn:aws:iam::555555555555:role/ops/Deployer" }, [p("AWS", "arn:aws:iam::555555555555:role/ops/Deployer", "555555555555")]],
    ["user ARN, another partition", { AWS: "arn:aws-us-gov:iam::555555555555:user/bob" }, [p("AWS", "arn:aws-us-gov:iam::555555555555:user/bob", "555555555555")]],
    ["anonymised sample: a 9-digit account id", { AWS: "000000000" }, [p("AWS", "000000000", "000000000")]],
    ["AWS *", { AWS: "*" }, [p("AWS", "*", null)]],
    ["unique id: account unknown", { AWS: "AROAY24FZKAOKXOMX4HDD" }, [p("AWS", "AROAY24FZKAOKXOMX4HDD", null)]],
    ["array of AWS values", { AWS: ["111111111111", "arn:aws:iam::555555555555:root"] }, [
      p("AWS", "111111111111", "111111111111"), p("AWS", "arn:aws:iam::555555555555:root", "555555555555"),
    ]],
    ["Service only", { Service: "ec2.amazonaws.com" }, [p("Service", "ec2.amazonaws.com", null)]],
    ["Service array", { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, [
      p("Service", "lambda.amazonaws.com", null), p("Service", "ec2.amazonaws.com", null),
    ]],
    ["mixed kinds", { AWS: "555555555555", Service: "ec2.amazonaws.com", CanonicalUser: "79a59df900b949e5" }, [
      p("AWS", "555555555555", "555555555555"), p("Service", "ec2.amazonaws.com", null), p("CanonicalUser", "79a59df900b949e5", null),
    ]],
    ["Federated OIDC provider ARN", { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, [
      p("Federated", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", "111111111111"),
    ]],
    ["Federated built-in provider", { Federated: "cognito-identity.amazonaws.com" }, [p("Federated", "cognito-identity.amazonaws.com", null)]],
    ["the string *", "*", [p("*", "*", null)]],
  ])("%s", (_label, principal, expected) => {
    expect(principals(allow(principal))).toEqual(expected);
  });

  it("NotPrincipal with Allow admits everyone else: reported as * with element NotPrincipal", () => {
    const doc = { Statement: { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" } };
    expect(principals(doc)).toEqual([{ element: "NotPrincipal", kind: "*", value: "*", accountId: null, conditionKeys: [] }]);
  });
});

describe("parseTrustPolicy: statements and actions", () => {
  it("Statement may be a single object", () => {
    expect(principals({ Statement: { Effect: "Allow", Principal: { AWS: "555555555555" }, Action: "sts:AssumeRole" } }))
      .toEqual([p("AWS", "555555555555", "555555555555")]);
  });

  it("Deny statements are ignored; every Allow statement counts", () => {
    const doc = {
      Statement: [
        { Effect: "Deny", Principal: { AWS: "666666666666" }, Action: "sts:AssumeRole" },
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        { Effect: "Allow", Principal: { AWS: "555555555555" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
      ],
    };
    expect(principals(doc).map((x) => x.value)).toEqual(["ec2.amazonaws.com", "555555555555"]);
  });

  it.each([
    ["sts:AssumeRole", true],
    ["sts:AssumeRoleWithWebIdentity", true],
    ["sts:assumerolewithsaml", true],
    ["sts:*", true],
    ["*", true],
    ["sts:Assume*", true],
    ["sts:AssumeRol?", true],
    [["sts:TagSession", "sts:AssumeRole"], true],
    ["sts:TagSession", false],
    ["sts:SetSourceIdentity", false],
    ["s3:*", false],
  ])("Action %j admits principals: %s", (action, admits) => {
    expect(principals(allow({ AWS: "555555555555" }, { Action: action })).length > 0).toBe(admits);
  });

  it("NotAction (and a missing Action) count as allowing AssumeRole", () => {
    const notAction = { Statement: [{ Effect: "Allow", Principal: { AWS: "555555555555" }, NotAction: "s3:*" }] };
    const noAction = { Statement: [{ Effect: "Allow", Principal: { AWS: "555555555555" } }] };
    expect(principals(notAction)).toHaveLength(1);
    expect(principals(noAction)).toHaveLength(1);
  });

  it("records each statement's condition keys, lower-cased, without operators", () => {
    const doc = {
      Statement: [
        {
          Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": ["repo:example-org/infra:*"] },
          },
        },
        {
          Effect: "Allow", Principal: "*", Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123", "sts:ExternalId": "x" }, Bool: { "aws:SecureTransport": true } },
        },
      ],
    };
    const parsed = parseTrustPolicy(doc);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.principals.map((x) => x.conditionKeys)).toEqual([
      ["token.actions.githubusercontent.com:aud", "token.actions.githubusercontent.com:sub"],
      ["aws:principalorgid", "aws:securetransport", "sts:externalid"],
    ]);
    expect(parsed.principals[1]!.conditions).toContainEqual({ operator: "Bool", key: "aws:securetransport", values: ["true"] });
    expect(parsed.principals[0]!.conditions).toContainEqual({
      operator: "StringLike", key: "token.actions.githubusercontent.com:sub", values: ["repo:example-org/infra:*"],
    });
  });
});

describe("parseTrustPolicy: document encodings", () => {
  const doc = allow({ AWS: "arn:aws:iam::555555555555:root" });
  const expected = [p("AWS", "arn:aws:iam::555555555555:root", "555555555555")];

  it("an object", () => expect(principals(doc)).toEqual(expected));
  it("a JSON string (pretty-printed, as the CLI sends it)", () => expect(principals(`\n${JSON.stringify(doc, null, 2)}`)).toEqual(expected));
  it("URL-encoded JSON (IAM's own encoding, %7B…)", () => expect(principals(encodeURIComponent(JSON.stringify(doc, null, 2)))).toEqual(expected));
  it("lower-case percent escapes", () => expect(principals(encodeURIComponent(JSON.stringify(doc)).replace(/%7B/g, "%7b"))).toEqual(expected));
  it("form-encoded (spaces as +)", () => {
    expect(principals(encodeURIComponent(JSON.stringify(doc, null, 2)).replace(/%20/g, "+"))).toEqual(expected);
  });

  it.each([
    ["truncated JSON", JSON.stringify(doc).slice(0, 40), /not a JSON object/],
    ["a JSON array", "[]", /not a JSON object/],
    ["a bad percent escape", "%7B%ZZ", /not a JSON object/],
    ["a number", 42, /a number/],
    ["null", null, /is null/],
    ["missing", undefined, /missing/],
    ["no Statement", { Version: "2012-10-17" }, /no Statement/],
    ["a Statement that is a string", { Statement: "Allow everyone" }, /Statement\[0\]/],
    ["Principal a non-* string", allow("arn:aws:iam::555555555555:root"), /Principal/],
    ["Principal.AWS a number", allow({ AWS: 555555555555 }), /Principal.AWS holds a number/],
    ["a condition value that is an object", allow({ AWS: "555555555555" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": { x: 1 } } } }), /condition value is an object/],
    ["Condition block not an object", allow({ AWS: "555555555555" }, { Condition: { StringEquals: "x" } }), /Condition/],
    ["oversized", `{"Statement":[${" ".repeat(70_000)}]}`, /characters long/],
  ])("unreadable: %s", (_label, document, reason) => {
    const parsed = parseTrustPolicy(document);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("keys named __proto__ are data, not prototype", () => {
    const parsed = parseTrustPolicy('{"Statement":[{"Effect":"Allow","Principal":{"AWS":"555555555555","__proto__":{"AWS":"*"}},"Action":"sts:AssumeRole"}]}');
    expect(parsed.ok && parsed.principals.map((x) => x.value)).toEqual(["555555555555"]);
  });
});
