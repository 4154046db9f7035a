// PEP 440 versions and specifiers, translated into `semver` versions and ranges.
//
// Every range this module produces MUST be evaluated with `SEMVER_OPTIONS` (`includePrerelease: true`):
// PEP 440 ordering is total, whereas plain semver hides prerelease versions from ranges unless a comparator
// shares their [major, minor, patch]. Pure: no I/O, never throws; errors come back as values.
//
// The encoding (why it looks the way it does)
// -------------------------------------------
// semver has exactly three numeric components and one ordering slot below a release (the prerelease); PEP 440
// has any number of release components, dev releases, pre-releases, post-releases, and post- and dev- releases
// of those. A post-release (1.2.3.post1) or a longer release (1.2.3.4) sorts strictly between 1.2.3 and the
// first version of 1.2.4, and semver has nothing there except prereleases of 1.2.4. So a version with release
// r1.r2.r3[.rest] is encoded as:
//
//   final r1.r2.r3                              -> r1.r2.r3
//   below r1.r2.r3 (pre-release, or a dev of it) -> r1.r2.r3-1.<key>          ("own" region)
//   above r1.r2.r3 (post-release, or rest != 0)  -> r1.r2.(r3+1)-0.<tail>.<key> ("after" region)
//
// where <tail> is `0` when rest is empty (post-releases of r1.r2.r3), else `1.<rest, each +1>.0` (the +1 keeps 0
// free as a terminator, so [1] < [1,0,1] holds as it does for PEP 440 release tuples), and <key> is the fixed-
// shape tuple packaging's `_cmpkey` compares, all numeric so semver compares it numerically:
//
//   preTier.preN.postKey.(0.devN | 1)
//   preTier: 0 bare dev release (1.0.dev1 sorts before 1.0a0), 1 a, 2 b, 3 rc, 4 none (final or post)
//   postKey: 0 no post-release, N+1 for .postN;  dev: `0.N` for .devN, `1` for none (a dev sorts first)
//
// Leading `0`/`1` makes every "after" prerelease of r1.r2.(r3+1) sort below its "own" ones, which matches
// PEP 440: 1.2.3.post1 < 1.2.3.1 < 1.2.4.dev0 < 1.2.4a1 < 1.2.4. Examples: 2.6.0rc1 -> 2.6.0-1.3.1.0.1,
// 1.0.post1 -> 1.0.1-0.0.4.0.2.1, 1.0.dev3 -> 1.0.0-1.0.0.0.0.3, 1.2.3.4 -> 1.2.4-0.1.5.0.4.0.0.1.
//
// Deliberate approximations, all towards admitting more versions (the safe direction for a security check):
// - pre-releases inside a range are admitted (pip only picks them when asked or when nothing else fits);
// - local labels (+cu124) are dropped from ranges; `==V+local` admits V, and `!=V+local` excludes nothing;
// - `===V` is treated as `==V` when V parses (string equality would admit less);
// - epochs other than 0 are rejected: they sort after every epoch-0 version and semver has no room for them.

import semver from "semver";

export const SEMVER_OPTIONS: Readonly<semver.RangeOptions> = Object.freeze({ includePrerelease: true });

/** A range no version satisfies (nothing sorts below 0.0.0-0). */
export const NO_VERSION = "<0.0.0-0";
export const ANY_VERSION = "*";

export type PrePhase = "a" | "b" | "rc";

export interface Pep440Version {
  epoch: number;
  release: number[];
  pre: { phase: PrePhase; number: number } | null;
  post: number | null;
  dev: number | null;
  local: string | null;
}

const VERSION_PATTERN = new RegExp(
  "^\\s*v?" +
    "(?:(?<epoch>[0-9]+)!)?" +
    "(?<release>[0-9]+(?:\\.[0-9]+)*)" +
    "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?" +
    "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?" +
    "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?" +
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?" +
    "\\s*$",
  "i",
);

// semver refuses numeric components longer than 16 digits; 15 keeps every value a safe integer.
const MAX_DIGITS = 15;

function toInt(digits: string | undefined, fallback: number): number | null {
  if (digits === undefined) return fallback;
  const trimmed = digits.replace(/^0+(?=\d)/, "");
  return trimmed.length > MAX_DIGITS ? null : Number(trimmed);
}

const PRE_PHASES: Record<string, PrePhase> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  rc: "rc",
  pre: "rc",
  preview: "rc",
};

export function parsePep440Version(text: string): { version: Pep440Version } | { error: string } {
  const match = VERSION_PATTERN.exec(text);
  const groups = match?.groups;
  if (!groups) return { error: `\`${text.trim()}\` is not a PEP 440 version` };
  const tooLong = { error: `\`${text.trim()}\` has a number too large to compare` };

  const epoch = toInt(groups.epoch, 0);
  const release = (groups.release ?? "").split(".").map((part) => toInt(part, 0));
  if (epoch === null || release.some((n) => n === null)) return tooLong;

  let pre: Pep440Version["pre"] = null;
  if (groups.pre !== undefined) {
    const number = toInt(groups.preN, 0);
    if (number === null) return tooLong;
    pre = { phase: PRE_PHASES[(groups.preL ?? "").toLowerCase()] ?? "rc", number };
  }
  let post: number | null = null;
  if (groups.post !== undefined) {
    post = toInt(groups.postN1 ?? groups.postN2, 0);
    if (post === null) return tooLong;
  }
  let dev: number | null = null;
  if (groups.dev !== undefined) {
    dev = toInt(groups.devN, 0);
    if (dev === null) return tooLong;
  }
  const local = groups.local === undefined ? null : groups.local.toLowerCase().replace(/[-_]/g, ".");
  return { version: { epoch, release: release as number[], pre, post, dev, local } };
}

function withoutTrailingZeros(numbers: readonly number[]): number[] {
  let end = numbers.length;
  while (end > 0 && numbers[end - 1] === 0) end--;
  return numbers.slice(0, end);
}

function splitRelease(release: readonly number[]): {
  major: number;
  minor: number;
  patch: number;
  rest: number[];
} {
  return {
    major: release[0] ?? 0,
    minor: release[1] ?? 0,
    patch: release[2] ?? 0,
    rest: withoutTrailingZeros(release.slice(3)),
  };
}

const PRE_TIER: Record<PrePhase, number> = { a: 1, b: 2, rc: 3 };

function orderingKey(v: Pep440Version): number[] {
  const preTier = v.pre ? PRE_TIER[v.pre.phase] : v.post === null && v.dev !== null ? 0 : 4;
  const postKey = v.post === null ? 0 : v.post + 1;
  return [preTier, v.pre?.number ?? 0, postKey, ...(v.dev === null ? [1] : [0, v.dev])];
}

/** The prerelease prefix under which versions sorting just above release `release` (post-releases, longer releases) live. */
function afterRegionPrefix(release: readonly number[]): string {
  const { major, minor, patch, rest } = splitRelease(release);
  const tail = rest.length === 0 ? "0" : `1.${rest.map((n) => n + 1).join(".")}.0`;
  return `${major}.${minor}.${patch + 1}-0.${tail}`;
}

function encode(v: Pep440Version): string {
  const { major, minor, patch, rest } = splitRelease(v.release);
  const isFinal = v.pre === null && v.post === null && v.dev === null;
  if (rest.length === 0 && isFinal) return `${major}.${minor}.${patch}`;
  const key = orderingKey(v).join(".");
  const sortsBelowRelease = v.pre !== null || (v.post === null && v.dev !== null);
  if (rest.length === 0 && sortsBelowRelease) return `${major}.${minor}.${patch}-1.${key}`;
  return `${afterRegionPrefix(v.release)}.${key}`;
}

/** The lowest semver value any PEP 440 version with this release segment (its dev, pre, final, post) encodes to. */
function lowestOfRelease(release: readonly number[]): string {
  const { major, minor, patch, rest } = splitRelease(release);
  if (rest.length > 0)
    return encode({ epoch: 0, release: [...release], pre: null, post: null, dev: 0, local: null });
  // X.Y.0 has no "after" region (nothing sits between X.(Y-1).* and X.Y.0.dev0 under X.Y.0), so -0 is exact.
  return `${major}.${minor}.${patch}-${patch === 0 ? 0 : 1}`;
}

function epochError(epoch: number): { error: string } {
  return {
    error: `epoch ${epoch}! is not supported: versions with a non-zero epoch sort after every epoch-0 version, which semver cannot express`,
  };
}

/** Normalises a PEP 440 version to the semver version it is compared as (local label kept as build metadata). */
export function pep440ToSemver(text: string): { version: string } | { error: string } {
  const parsed = parsePep440Version(text);
  if ("error" in parsed) return parsed;
  const v = parsed.version;
  if (v.epoch !== 0) return epochError(v.epoch);
  const encoded = encode(v) + (v.local === null ? "" : `+${v.local}`);
  return semver.valid(encoded) === null
    ? { error: `\`${text.trim()}\` is too long to compare` }
    : { version: encoded };
}

/** Disjunctive normal form: OR of comparator sets, each an AND of comparators. */
type Dnf = string[][];

const ANYTHING: Dnf = [[]];

function formatDnf(dnf: Dnf): string {
  if (dnf.length === 0) return NO_VERSION;
  if (dnf.some((set) => set.length === 0)) return ANY_VERSION;
  return dnf.map((set) => set.join(" ")).join(" || ");
}

function isSatisfiable(set: readonly string[]): boolean {
  if (set.length === 0) return true;
  try {
    return semver.intersects(set.join(" "), ANY_VERSION, SEMVER_OPTIONS);
  } catch {
    return false;
  }
}

function parseDnf(range: string): Dnf | null {
  try {
    return new semver.Range(range, SEMVER_OPTIONS).set.map((set) =>
      set.map((comparator) => comparator.value).filter((value) => value !== ""),
    );
  } catch {
    return null;
  }
}

// Each `!=` doubles the comparator sets before pruning; past this many, exclusions are dropped (admitting more).
const MAX_SETS = 64;

/** Keeps the tightest lower and upper bound of a satisfiable comparator set (an exact pin alone when there is one). */
function simplifySet(set: readonly string[]): string[] {
  let lower: semver.Comparator | null = null;
  let upper: semver.Comparator | null = null;
  let exact: semver.Comparator | null = null;
  for (const value of set) {
    const comparator = new semver.Comparator(value, SEMVER_OPTIONS);
    const op = comparator.operator;
    if (op === "" || op === "=") exact = comparator;
    else if (op === ">" || op === ">=") {
      const order = lower === null ? 1 : semver.compare(comparator.semver, lower.semver);
      if (order > 0 || (order === 0 && op === ">")) lower = comparator;
    } else {
      const order = upper === null ? -1 : semver.compare(comparator.semver, upper.semver);
      if (order < 0 || (order === 0 && op === "<")) upper = comparator;
    }
  }
  if (exact !== null) return [exact.value];
  return [lower, upper].flatMap((comparator) => (comparator === null ? [] : [comparator.value]));
}

function intersectDnf(a: Dnf, b: Dnf): Dnf {
  const out: Dnf = [];
  const seen = new Set<string>();
  for (const left of a) {
    for (const right of b) {
      const set = [...left, ...right];
      if (!isSatisfiable(set)) continue;
      const simplified = simplifySet(set);
      const key = simplified.join(" ");
      if (!seen.has(key)) {
        seen.add(key);
        out.push(simplified);
      }
    }
  }
  return out;
}

/** The versions both ranges admit, as a range (NO_VERSION when none). Unparseable input is treated as "any". */
export function intersectRanges(a: string, b: string): string {
  return formatDnf(intersectDnf(parseDnf(a) ?? ANYTHING, parseDnf(b) ?? ANYTHING));
}

/** The versions either range admits. */
export function unionRanges(ranges: readonly string[]): string {
  const sets: Dnf = [];
  for (const range of ranges) sets.push(...(parseDnf(range) ?? ANYTHING).filter(isSatisfiable));
  return formatDnf(sets);
}

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*(.*)$/;
const PREFIX_MATCH = /^\s*v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)\.\*\s*$/i;

export interface SpecifierOptions {
  /**
   * "pep440" (default): `<V` excludes pre-releases of V and `>V` post-releases of V, as installers read them.
   * "ordering": plain comparisons, as advisory databases (OSV `fixed: 2.6.0`) read an affected range, where
   * 2.6.0rc1 is below 2.6.0 and therefore affected.
   */
  exclusive?: "pep440" | "ordering";
}

function translateClause(
  clause: string,
  options: SpecifierOptions,
): { dnf: Dnf; exclusion: boolean } | { error: string } {
  const match = CLAUSE.exec(clause);
  if (!match) {
    return /^[0-9v]/i.test(clause)
      ? { error: `\`${clause}\` has no comparison operator (write \`==${clause}\`)` }
      : { error: `\`${clause}\` is not a PEP 440 version specifier` };
  }
  const op = match[1] as string;
  const operand = (match[2] ?? "").trim();

  const prefix = PREFIX_MATCH.exec(operand);
  if (prefix) {
    if (op !== "==" && op !== "!=")
      return { error: `\`${clause}\`: a wildcard is only allowed with == and !=` };
    const epoch = toInt(prefix[1], 0);
    const release = (prefix[2] ?? "").split(".").map((part) => toInt(part, 0));
    if (epoch === null || release.some((n) => n === null))
      return { error: `\`${clause}\` has a number too large` };
    if (epoch !== 0) return epochError(epoch);
    const numbers = release as number[];
    const next = [...numbers.slice(0, -1), (numbers.at(-1) ?? 0) + 1];
    const [low, high] = [lowestOfRelease(numbers), lowestOfRelease(next)];
    return op === "=="
      ? { dnf: [[`>=${low}`, `<${high}`]], exclusion: false }
      : { dnf: [[`<${low}`], [`>=${high}`]], exclusion: true };
  }

  const parsed = parsePep440Version(operand);
  if ("error" in parsed) {
    return op === "==="
      ? { error: `\`${clause}\`: arbitrary equality with a non-PEP 440 version cannot be compared` }
      : { error: `\`${clause}\`: ${parsed.error}` };
  }
  const v = parsed.version;
  if (v.epoch !== 0) return epochError(v.epoch);
  if (v.local !== null && op !== "==" && op !== "!=" && op !== "===") {
    return { error: `\`${clause}\`: a local version label is only allowed with ==, != and ===` };
  }
  const exact = encode(v);

  switch (op) {
    case "==":
    case "===":
      return { dnf: [[exact]], exclusion: false };
    case "!=":
      return v.local === null
        ? { dnf: [[`<${exact}`], [`>${exact}`]], exclusion: true }
        : { dnf: ANYTHING, exclusion: true };
    case ">=":
      return { dnf: [[`>=${exact}`]], exclusion: false };
    case "<=":
      return { dnf: [[`<=${exact}`]], exclusion: false };
    case "<": {
      if (options.exclusive === "ordering") return { dnf: [[`<${exact}`]], exclusion: false };
      // PEP 440: <V excludes pre-releases of V unless V is one; its lowest pre-release is V.dev0.
      if (v.pre !== null || v.dev !== null) return { dnf: [[`<${exact}`]], exclusion: false };
      const bound = v.post === null ? lowestOfRelease(v.release) : encode({ ...v, dev: 0 });
      return { dnf: [[`<${bound}`]], exclusion: false };
    }
    case ">": {
      if (options.exclusive === "ordering") return { dnf: [[`>${exact}`]], exclusion: false };
      // PEP 440: >V excludes post-releases of V unless V is one. They all sort below the bound built here.
      if (v.post !== null || v.dev !== null) return { dnf: [[`>${exact}`]], exclusion: false };
      if (v.pre !== null) {
        const nextPre = encode({ ...v, pre: { ...v.pre, number: v.pre.number + 1 }, dev: 0 });
        return { dnf: [[`>=${nextPre}`]], exclusion: false };
      }
      return { dnf: [[`>=${afterRegionPrefix(v.release)}.5`]], exclusion: false };
    }
    case "~=": {
      if (v.release.length < 2)
        return { error: `\`${clause}\`: ~= needs a version with at least two components` };
      const prefixRelease = v.release.slice(0, -1);
      const next = [...prefixRelease.slice(0, -1), (prefixRelease.at(-1) ?? 0) + 1];
      return { dnf: [[`>=${exact}`, `<${lowestOfRelease(next)}`]], exclusion: false };
    }
    default:
      return { error: `\`${clause}\`: unsupported operator ${op}` };
  }
}

/**
 * Translates a PEP 440 version specifier (`>=2.6,<3`, `~=1.4.2`, `==2.*`, ...) into a semver range string to be
 * evaluated with `SEMVER_OPTIONS`. An environment marker after `;` is ignored; an empty specifier admits any version.
 */
export function pep440ToSemverRange(
  spec: string,
  options: SpecifierOptions = {},
): { range: string } | { error: string } {
  let text = spec.split(";")[0]?.trim() ?? "";
  if (text.startsWith("(") && text.endsWith(")")) text = text.slice(1, -1).trim();
  if (text === "" || text === "*") return { range: ANY_VERSION };

  let dnf: Dnf = ANYTHING;
  const exclusions: Dnf[] = [];
  for (const rawClause of text.split(",")) {
    const clause = rawClause.trim();
    if (clause === "") return { error: `\`${spec.trim()}\` has an empty clause` };
    const translated = translateClause(clause, options);
    if ("error" in translated) return translated;
    if (translated.exclusion) exclusions.push(translated.dnf);
    else dnf = intersectDnf(dnf, translated.dnf);
  }
  for (const exclusion of exclusions) {
    const narrowed = intersectDnf(dnf, exclusion);
    if (narrowed.length > MAX_SETS) break;
    dnf = narrowed;
  }
  return { range: formatDnf(dnf) };
}

/** Whether `version` (a PEP 440 version) lies in `range` (a range from this module). False when either is invalid. */
export function pep440Satisfies(version: string, range: string): boolean {
  const converted = pep440ToSemver(version);
  if ("error" in converted) return false;
  try {
    return semver.satisfies(converted.version, range, SEMVER_OPTIONS);
  } catch {
    return false;
  }
}
