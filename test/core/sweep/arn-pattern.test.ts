import { describe, expect, it } from "vitest";
import { matchesArnPattern } from "../../../src/core/sweep/arn-pattern.js";

const ROLE = "arn:aws:iam::222222222222:role/VendorAudit";

describe("matchesArnPattern", () => {
  it.each([
    ["exact", ROLE, ROLE],
    ["* alone matches anything", "*", ROLE],
    ["* matches the empty run", "arn:aws:iam::222222222222:role/VendorAudit*", ROLE],
    ["prefix wildcard in the role name", "arn:aws:iam::222222222222:role/Vendor*", ROLE],
    ["* crosses `/` (any path)", "arn:aws:iam::222222222222:role/*", "arn:aws:iam::222222222222:role/vendors/eu/VendorAudit"],
    ["* crosses `:` (any account)", "arn:aws:iam::*:role/VendorAudit", ROLE],
    ["several stars", "arn:*:iam::*:role/*Audit", ROLE],
    ["adjacent stars", "arn:aws:iam::**:role/VendorAudit", ROLE],
    ["a middle segment found later than its first partial occurrence", "a*abab*b", "aabaabab-b"],
    ["subject pattern", "repo:example-org/infra:ref:refs/heads/*", "repo:example-org/infra:ref:refs/heads/main"],
  ])("%s → match", (_label, pattern, text) => {
    expect(matchesArnPattern(pattern, text)).toBe(true);
  });

  it.each([
    ["another role", "arn:aws:iam::222222222222:role/VendorAudit", "arn:aws:iam::222222222222:role/ProdAdmin"],
    ["a longer name is not the same role", ROLE, `${ROLE}2`],
    ["case matters", "arn:aws:iam::222222222222:role/vendoraudit", ROLE],
    ["another account", "arn:aws:iam::222222222222:role/*", "arn:aws:iam::333333333333:role/VendorAudit"],
    ["a path is not the bare name", "arn:aws:iam::222222222222:role/VendorAudit", "arn:aws:iam::222222222222:role/x/VendorAudit"],
    ["prefix and suffix may not overlap", "ab*ba", "aba"],
    ["the middle segment must fit before the suffix", "a*bc*c", "abc"],
    ["empty text vs literal", "x", ""],
  ])("%s → no match", (_label, pattern, text) => {
    expect(matchesArnPattern(pattern, text)).toBe(false);
  });

  it.each([
    ["regex metacharacters are literal", "arn:aws:iam::1.2:role/(a|b)+[x]?$", "arn:aws:iam::1.2:role/(a|b)+[x]?$", true],
    ["`.` is not any character", "arn:aws:iam::222222222222:role/Vendor.udit", ROLE, false],
    ["`?` is literal, not one character", "arn:aws:iam::222222222222:role/Vendor?udit", ROLE, false],
    ["`\\` is literal", "a\\*", "a\\zzz", true],
  ])("%s", (_label, pattern, text, expected) => {
    expect(matchesArnPattern(pattern, text)).toBe(expected);
  });

  it("stays fast on inputs that make backtracking matchers explode", () => {
    const text = "a".repeat(200_000);
    const started = performance.now();
    // (.*a){2000}.*b as a regex would backtrack for ever on a text without "b".
    expect(matchesArnPattern(`${"*a".repeat(2_000)}*b`, text)).toBe(false);
    expect(matchesArnPattern(`${"*a".repeat(2_000)}*`, text)).toBe(true);
    // Middle segments that almost match everywhere: KMP never re-reads the text.
    expect(matchesArnPattern(`*${"a".repeat(5_000)}b*`, text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
