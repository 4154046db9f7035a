import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  intersectRanges,
  NO_VERSION,
  pep440Satisfies,
  pep440ToSemver,
  pep440ToSemverRange,
  SEMVER_OPTIONS,
  unionRanges,
} from "../../src/engine/dependencies/pep440.js";

function range(spec: string): string {
  const result = pep440ToSemverRange(spec);
  if ("error" in result) throw new Error(`${spec}: ${result.error}`);
  return result.range;
}

function encoded(version: string): string {
  const result = pep440ToSemver(version);
  if ("error" in result) throw new Error(`${version}: ${result.error}`);
  return result.version;
}

describe("pep440ToSemverRange: which versions a specifier admits", () => {
  // [specifier, admitted PEP 440 versions, rejected PEP 440 versions]
  const cases: [string, string[], string[]][] = [
    ["==1.2", ["1.2", "1.2.0", "1.2.0.0", "1.2+local"], ["1.2.1", "1.2.post1", "1.2rc1", "1.1.9"]],
    [
      "==2.*",
      ["2.0", "2.0.dev0", "2.0a1", "2.9.1", "2.9.9.post3", "2.99.0.1"],
      ["1.9.9", "3.0.0", "3.0.dev0", "3.0a1"],
    ],
    ["==2.6.*", ["2.6", "2.6.0rc1", "2.6.9", "2.6.post1", "2.6.0.1"], ["2.5.99", "2.7.0", "2.7.0.dev1"]],
    [
      "~=1.4.2",
      ["1.4.2", "1.4.9", "1.4.2.post1", "1.4.99.1"],
      ["1.4.1", "1.4.2rc1", "1.5.0", "1.5.0.dev0", "2.0"],
    ],
    ["~=2.2", ["2.2", "2.9.1", "2.2.0.1"], ["2.1.9", "3.0.0", "3.0rc1", "2.2rc1"]],
    ["~=2.2.post3", ["2.2.post3", "2.2.1", "2.9"], ["2.2", "2.2.post2", "3.0"]],
    ["~=1.4.5a4", ["1.4.5a4", "1.4.5", "1.4.9"], ["1.4.5a3", "1.5.0"]],
    [">=2.6,<3", ["2.6", "2.6.0.post1", "2.9.9", "2.99"], ["2.5.1", "2.6.0rc1", "3", "3.0.0rc1", "3.0.dev0"]],
    [">= 2.6 ,  < 3", ["2.6.1"], ["3.0.0"]],
    ["!=2.1.*", ["2.0.9", "2.2", "2.2.0.dev0", "1.0"], ["2.1", "2.1.5", "2.1.0rc1", "2.1.post1"]],
    ["!=2.1", ["2.1.1", "2.0", "2.1.post1"], ["2.1", "2.1.0"]],
    [">2.6", ["2.6.1", "2.6.0.1", "2.7.0.dev0", "3"], ["2.6", "2.6.post1", "2.6.0.post3.dev1", "2.5"]],
    [">2.6.post1", ["2.6.post2", "2.6.1"], ["2.6.post1", "2.6"]],
    [">1.0rc1", ["1.0rc2.dev0", "1.0rc2", "1.0", "1.0.post1"], ["1.0rc1", "1.0rc1.post1", "1.0b9"]],
    ["<2.6", ["2.5.9", "2.5.9.post1", "2.5.99.1"], ["2.6", "2.6.0rc1", "2.6.dev0", "2.6.0.post1"]],
    ["<2.6rc2", ["2.6rc1", "2.6.dev0", "2.5"], ["2.6rc2", "2.6"]],
    ["<=2.6", ["2.6", "2.6.0", "2.6rc1", "2.5"], ["2.6.post1", "2.6.0.1", "2.7"]],
    ["===1.0", ["1.0"], ["1.0.1", "1.0.post1"]],
    ["==0!1.0", ["1.0"], ["1.1"]],
    ["==1.2.3.4", ["1.2.3.4", "1.2.3.4.0"], ["1.2.3", "1.2.3.5", "1.2.4", "1.2.3.4.1"]],
    [
      ">=1.2.3.4",
      ["1.2.3.4", "1.2.3.5", "1.2.4", "1.2.3.4.post1"],
      ["1.2.3", "1.2.3.3", "1.2.3.4rc1", "1.2.3.post9"],
    ],
    [">=2", ["2", "2.0.0", "10"], ["1.99", "2.0rc1"]],
    ["==2.6.0rc1", ["2.6.0rc1", "2.6.0-rc.1", "2.6c1"], ["2.6.0", "2.6.0rc2"]],
    [">=1.0.dev3", ["1.0.dev3", "1.0.dev4", "1.0a1", "1.0"], ["1.0.dev2", "0.9"]],
    [">=1.0a1", ["1.0a1", "1.0b1", "1.0rc1", "1.0"], ["1.0.dev9", "1.0a0"]],
    [">=1.0,!=1.5,<2", ["1.0", "1.4.9", "1.5.1", "1.9"], ["0.9", "1.5", "2.0"]],
    ["(>=1.0)", ["1.0"], ["0.9"]],
    ['>=2.6; python_version < "3.8"', ["2.6"], ["2.5"]],
    ["", ["0.0.1", "1.0rc1", "99"], []],
  ];

  for (const [spec, admitted, rejected] of cases) {
    it(`${JSON.stringify(spec)} admits ${admitted.join(", ") || "-"} and rejects ${rejected.join(", ") || "-"}`, () => {
      const translated = range(spec);
      for (const version of admitted)
        expect(pep440Satisfies(version, translated), `${version} in ${translated}`).toBe(true);
      for (const version of rejected)
        expect(pep440Satisfies(version, translated), `${version} in ${translated}`).toBe(false);
    });
  }

  it("writes the common cases as readable semver ranges", () => {
    expect(range("~=1.4.2")).toBe(">=1.4.2 <1.5.0-0");
    expect(range("~=2.2")).toBe(">=2.2.0 <3.0.0-0");
    expect(range(">=2.6,<3")).toBe(">=2.6.0 <3.0.0-0");
    expect(range("==2.*")).toBe(">=2.0.0-0 <3.0.0-0");
    expect(range("==1.2")).toBe("1.2.0");
    expect(range("!=2.1.*")).toBe("<2.1.0-0 || >=2.2.0-0");
  });

  it("gives final-release ranges the meaning plain semver gives them", () => {
    expect(semver.satisfies("2.9.1", range("~=2.2"))).toBe(true);
    expect(semver.satisfies("3.0.0", range("~=2.2"))).toBe(false);
    expect(semver.satisfies("1.4.9", range("~=1.4.2"))).toBe(true);
    expect(semver.satisfies("1.5.0", range("~=1.4.2"))).toBe(false);
  });

  it("returns a range admitting nothing for contradictory clauses", () => {
    expect(range(">3,<2")).toBe(NO_VERSION);
    expect(semver.satisfies("2.5.0", range(">3,<2"), SEMVER_OPTIONS)).toBe(false);
  });

  it("keeps only the tightest bounds when clauses overlap", () => {
    expect(range(">=1.0,>=1.5,<3,<2")).toBe(">=1.5.0 <2.0.0-0");
    expect(range("!=1.0,!=1.1")).toBe("<1.0.0 || >1.0.0 <1.1.0 || >1.1.0");
  });

  it("does not let an exclusion of a local version narrow the range", () => {
    expect(range("!=1.0+cpu")).toBe("*");
  });

  const errors: [string, RegExp][] = [
    ["2.6", /no comparison operator/],
    [">=1!2.0", /epoch 1!/],
    ["==1!2.*", /epoch 1!/],
    [">=2.*", /wildcard is only allowed with == and !=/],
    ["~=1", /at least two components/],
    [">=1.0+cpu", /local version label/],
    ["=>1.0", /not a PEP 440 version specifier/],
    [">=1.0,", /empty clause/],
    [">=banana", /not a PEP 440 version/],
    ["===foobar", /arbitrary equality/],
    [">=1.0.99999999999999999", /too large/],
  ];
  for (const [spec, message] of errors) {
    it(`rejects ${JSON.stringify(spec)} with a message instead of throwing`, () => {
      const result = pep440ToSemverRange(spec);
      expect("error" in result && result.error).toMatch(message);
    });
  }
});

describe("pep440ToSemver: PEP 440 ordering preserved in semver", () => {
  it("normalises spellings to one version", () => {
    expect(encoded("2")).toBe("2.0.0");
    expect(encoded("2.6")).toBe("2.6.0");
    expect(encoded("v1.0")).toBe("1.0.0");
    expect(encoded(" 1.0.0.0 ")).toBe("1.0.0");
    expect(encoded("0!1.0")).toBe("1.0.0");
    expect(encoded("1.0-1")).toBe(encoded("1.0.post1"));
    expect(encoded("1.0rev1")).toBe(encoded("1.0.post1"));
    expect(encoded("1.0alpha1")).toBe(encoded("1.0a1"));
    expect(encoded("1.0-preview.2")).toBe(encoded("1.0rc2"));
    expect(encoded("1.0a")).toBe(encoded("1.0a0"));
    expect(encoded("1.0.DEV")).toBe(encoded("1.0.dev0"));
    expect(encoded("1.01")).toBe(encoded("1.1"));
  });

  it("keeps a local label as build metadata, which semver ignores when ordering", () => {
    expect(encoded("2.6.0+cu124")).toBe("2.6.0+cu124");
    expect(encoded("1.0+Ubuntu-1")).toBe("1.0.0+ubuntu.1");
  });

  // Ascending per PEP 440 (the ordering example in the specification, extended with 4-component releases).
  const ascending = [
    "1.0.dev456",
    "1.0a1",
    "1.0a2.dev456",
    "1.0a12.dev456",
    "1.0a12",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0rc1.dev456",
    "1.0rc1",
    "1.0",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.0.1",
    "1.0.0.1.post1",
    "1.0.0.2",
    "1.0.1.dev0",
    "1.0.1",
    "1.1.dev1",
    "1.1",
    "2.0.0.0.1",
  ];
  it("orders pre, post, dev and longer releases as PEP 440 does", () => {
    const versions = ascending.map(encoded);
    for (let i = 1; i < versions.length; i++) {
      expect(
        semver.compare(versions[i - 1] as string, versions[i] as string),
        `${ascending[i - 1]} < ${ascending[i]}`,
      ).toBe(-1);
    }
  });

  it("maps pre-releases below the release and post-releases above it", () => {
    expect(semver.lt(encoded("2.6.0rc1"), "2.6.0")).toBe(true);
    expect(semver.gt(encoded("2.6.0rc1"), "2.5.99")).toBe(true);
    expect(semver.gt(encoded("1.0.post1"), "1.0.0")).toBe(true);
    expect(semver.lt(encoded("1.0.post1"), "1.0.1")).toBe(true);
    expect(semver.lt(encoded("1.0.dev3"), encoded("1.0a0"))).toBe(true);
    expect(semver.lt(encoded("1.2.3.4"), "1.2.4")).toBe(true);
  });

  it("rejects what semver cannot hold", () => {
    expect(pep440ToSemver("1!1.0")).toEqual({ error: expect.stringMatching(/epoch/) });
    expect(pep440ToSemver("not a version")).toEqual({
      error: expect.stringMatching(/not a PEP 440 version/),
    });
    expect(pep440ToSemver("1.0.0.dev1.dev2")).toHaveProperty("error");
  });
});

describe("range algebra", () => {
  it("intersects and unions ranges", () => {
    expect(intersectRanges(range(">=2.0"), range("<2.6"))).toBe(">=2.0.0 <2.6.0-0");
    expect(intersectRanges(range("==2.5.1"), range(">=2.6"))).toBe(NO_VERSION);
    expect(intersectRanges("*", range("~=1.4.2"))).toBe(">=1.4.2 <1.5.0-0");
    expect(unionRanges([range("<1.0"), range(">=2.0")])).toBe("<1.0.0-0 || >=2.0.0");
    expect(unionRanges([range("<1.0"), "*"])).toBe("*");
  });
});

describe("ordering mode for advisory ranges", () => {
  it("reads < and > as plain ordering, so pre-releases of the fixed version count as affected", () => {
    const affected = pep440ToSemverRange("<2.6.0", { exclusive: "ordering" });
    if ("error" in affected) throw new Error(affected.error);
    expect(pep440Satisfies("2.6.0rc1", affected.range)).toBe(true);
    expect(pep440Satisfies("2.6.0", affected.range)).toBe(false);
    expect(pep440Satisfies("2.6.0rc1", range("<2.6.0"))).toBe(false);

    const above = pep440ToSemverRange(">1.0", { exclusive: "ordering" });
    if ("error" in above) throw new Error(above.error);
    expect(pep440Satisfies("1.0.post1", above.range)).toBe(true);
  });
});
