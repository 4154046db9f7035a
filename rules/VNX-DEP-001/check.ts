// VNX-DEP-001: a dependency manifest admits a version with a known code-execution or deserialization advisory.
// Pure: manifests and advisory rows in, findings out. Loading rules/models/advisories.yml is the caller's job.

import { createHash } from "node:crypto";
import semver from "semver";
import { parse as parseYaml } from "yaml";
import {
  type Advisory,
  type Constraint,
  type DependencyPins,
  type Finding,
  type Fix,
  normalizePackageName,
  type PackagePins,
  pep440Satisfies,
  pep440ToSemver,
  pep440ToSemverRange,
  SEMVER_OPTIONS,
  SEVERITIES,
  type Severity,
  type SourceFile,
} from "../../src/engine/index.js";
import { poetryToSemverRange, readDependencyPins } from "../../src/manifests/index.js";

export const RULE_ID = "VNX-DEP-001";
export const HELP_URI = "https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-DEP-001/rule.md";
/** CWE-1395: Dependency on Vulnerable Third-Party Component. */
const CWE_VULNERABLE_DEPENDENCY = 1395;
const DEFAULT_SEVERITY: Severity = "high";
// An advisory's `<2.6.0` is an ordered bound (as in OSV): 2.6.0rc1 sorts below 2.6.0 and is affected, although a
// PEP 440 `<2.6.0` requirement would not install it.
const AFFECTED_RANGE = { exclusive: "ordering" } as const;

// The row type belongs to the rule contract (the engine hands advisories to rules); re-exported here.
export type { Advisory };

const ADVISORY_ID = /^(?:CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+)$/;

function describeValue(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
}

function parseRow(row: unknown, where: string): { advisory: Advisory } | { errors: string[] } {
  if (typeof row !== "object" || row === null || Array.isArray(row))
    return { errors: [`${where}: not a mapping`] };
  const fields = row as Record<string, unknown>;
  const errors: string[] = [];
  const text = (key: string): string => {
    const value = fields[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    errors.push(`${where}: ${key} must be a non-empty string, not ${describeValue(value)}`);
    return "";
  };
  const id = text("id");
  if (id !== "" && !ADVISORY_ID.test(id))
    errors.push(`${where}: id ${id} is not a CVE, GHSA or PYSEC identifier`);
  const pkg = text("package");
  const affected = text("affected");
  if (affected !== "") {
    const range = pep440ToSemverRange(affected, AFFECTED_RANGE);
    if ("error" in range) errors.push(`${where}: affected: ${range.error}`);
  }
  let fixed: string | null = null;
  if (fields.fixed !== null && fields.fixed !== undefined) {
    if (typeof fields.fixed !== "string") {
      errors.push(`${where}: fixed must be a quoted version or null, not ${describeValue(fields.fixed)}`);
    } else if ("error" in pep440ToSemver(fields.fixed)) {
      errors.push(`${where}: fixed: \`${fields.fixed}\` is not a PEP 440 version`);
    } else {
      fixed = fields.fixed.trim();
      const range = pep440ToSemverRange(affected, AFFECTED_RANGE);
      if ("range" in range && pep440Satisfies(fixed, range.range)) {
        errors.push(`${where}: fixed version ${fixed} is itself inside affected ${affected}`);
      }
    }
  }
  let severity = DEFAULT_SEVERITY;
  if (fields.severity !== undefined) {
    if (SEVERITIES.includes(fields.severity as Severity)) severity = fields.severity as Severity;
    else errors.push(`${where}: severity must be one of ${SEVERITIES.join(", ")}`);
  }
  const cwe = fields.cwe ?? [];
  if (!Array.isArray(cwe) || !cwe.every((n) => Number.isInteger(n) && n > 0)) {
    errors.push(`${where}: cwe must be a list of CWE numbers`);
  }
  const aliases = fields.aliases ?? [];
  if (!Array.isArray(aliases) || !aliases.every((alias) => typeof alias === "string")) {
    errors.push(`${where}: aliases must be a list of identifiers`);
  }
  const summary = text("summary");
  const url = text("url");
  if (url !== "" && !url.startsWith("https://")) errors.push(`${where}: url must be an https URL`);
  const source = text("source");
  if (errors.length > 0) return { errors };
  return {
    advisory: {
      id,
      aliases: aliases as string[],
      package: pkg,
      affected,
      fixed,
      severity,
      cwe: cwe as number[],
      summary,
      url,
      source,
    },
  };
}

/** Parses advisory rows (a list, or a mapping with an `advisories` list). Invalid rows are skipped and reported. */
export function parseAdvisories(yamlText: string): { advisories: Advisory[]; errors: string[] } {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    return {
      advisories: [],
      errors: [`cannot parse advisories: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const rows =
    typeof document === "object" && document !== null && !Array.isArray(document)
      ? (document as Record<string, unknown>).advisories
      : document;
  if (!Array.isArray(rows)) return { advisories: [], errors: ["advisories must be a list of rows"] };
  const advisories: Advisory[] = [];
  const errors: string[] = [];
  rows.forEach((row, index) => {
    const id = typeof row === "object" && row !== null && "id" in row ? ` (${String(row.id)})` : "";
    const parsed = parseRow(row, `advisories[${index}]${id}`);
    if ("advisory" in parsed) advisories.push(parsed.advisory);
    else errors.push(...parsed.errors);
  });
  return { advisories, errors };
}

function intersects(a: string, b: string): boolean {
  try {
    return semver.intersects(a, b, SEMVER_OPTIONS);
  } catch {
    return false;
  }
}

function isSubset(a: string, b: string): boolean {
  try {
    return semver.subset(a, b, SEMVER_OPTIONS);
  } catch {
    return false;
  }
}

function fingerprint(path: string, pkg: string, advisoryId: string): string {
  return createHash("sha256").update([RULE_ID, path, pkg, advisoryId].join("\0")).digest("hex");
}

interface Matched {
  advisory: Advisory;
  affectedRange: string;
}

/** The lowest version that leaves every advisory matched on this package behind, or null when one has no fix. */
function upgradeTarget(matched: readonly Matched[]): string | null {
  let target: { version: string; encoded: string } | null = null;
  for (const { advisory } of matched) {
    if (advisory.fixed === null) continue;
    const encoded = pep440ToSemver(advisory.fixed);
    if ("error" in encoded) continue;
    if (target === null || semver.gt(encoded.version, target.encoded))
      target = { version: advisory.fixed, encoded: encoded.version };
  }
  if (target === null) return null;
  const landing = target.version;
  return matched.some(({ affectedRange }) => pep440Satisfies(landing, affectedRange)) ? null : landing;
}

const KEEPS_UPPER_BOUND = /^\s*(<=?|!=)/;

/** The constraint's specifier rewritten to require `target`, keeping upper bounds and exclusions that allow it. */
function rewrittenSpecifier(constraint: Constraint, target: string): string {
  const specifier = constraint.specifier.trim();
  if (constraint.syntax === "poetry") {
    if (/^\^[^,|\s]+$/.test(specifier)) return `^${target}`;
    if (/^(==)?\s*v?\d[^,|\s]*$/.test(specifier)) return target;
    return `>=${target}`;
  }
  const clauses = specifier === "" ? [] : specifier.replace(/^\(|\)$/g, "").split(",");
  if (clauses.length === 1 && /^\s*===?[^=*]*$/.test(clauses[0] ?? "") && !(clauses[0] ?? "").includes("*")) {
    return `==${target}`;
  }
  const kept = clauses
    .map((clause) => clause.trim())
    .filter((clause) => {
      if (!KEEPS_UPPER_BOUND.test(clause)) return false;
      const range = pep440ToSemverRange(clause);
      return "range" in range && pep440Satisfies(target, range.range);
    });
  return [`>=${target}`, ...kept].join(",");
}

function buildFix(constraint: Constraint, target: string, matched: readonly Matched[]): Fix | undefined {
  if (!constraint.rewritable || constraint.syntax === "lock") return undefined;
  const specifier = rewrittenSpecifier(constraint, target);
  const range =
    constraint.syntax === "poetry" ? poetryToSemverRange(specifier) : pep440ToSemverRange(specifier);
  if ("error" in range || matched.some(({ affectedRange }) => intersects(range.range, affectedRange)))
    return undefined;
  const replacement = `${constraint.head}${specifier}`;
  return {
    description: `Require ${constraint.head || constraint.package}${specifier}`,
    safety: "unsafe",
    edits: [{ span: constraint.span, replacement }],
  };
}

function describeConstraint(constraint: Constraint): string {
  const verb = constraint.syntax === "lock" ? "locked" : "pinned";
  return `${verb} to ${constraint.specifier} in ${constraint.path}:${constraint.line}`;
}

function findingFor(
  pins: PackagePins,
  constraint: Constraint,
  { advisory, affectedRange }: Matched,
  allMatched: readonly Matched[],
): Finding {
  const pkg = pins.name;
  const locked = constraint.syntax === "lock";
  const admitted = locked ? constraint.range : pins.range;
  const certain = locked || isSubset(admitted, affectedRange);
  const verb = locked
    ? "which is affected by"
    : certain
      ? "so every version it admits is affected by"
      : "which admits versions affected by";
  const affected = `${advisory.id} (${pkg}${advisory.affected})`;
  const message =
    !locked && constraint.specifier === ""
      ? `${pkg} has no version constraint in ${constraint.path}:${constraint.line}, so versions affected by ${affected} may be installed: ${advisory.summary}`
      : `${pkg} is ${describeConstraint(constraint)}, ${verb} ${affected}: ${advisory.summary}`;

  const target = upgradeTarget(allMatched);
  const covered =
    target !== null && target !== advisory.fixed
      ? ` (${target} also fixes the other advisories on this package)`
      : "";
  const relock = locked ? " and regenerate the lock file" : "";
  const remediation =
    advisory.fixed === null
      ? `No release of ${pkg} fixes ${advisory.id}: remove the dependency or apply the mitigation in ${advisory.url}.`
      : `Upgrade ${pkg} to ${target ?? advisory.fixed} or later${relock}: ${advisory.fixed} fixes ${advisory.id}${covered}.`;
  const fix =
    advisory.fixed !== null && target !== null ? buildFix(constraint, target, allMatched) : undefined;

  return {
    ruleId: RULE_ID,
    severity: advisory.severity,
    confidence: certain ? "high" : "medium",
    cwe: [CWE_VULNERABLE_DEPENDENCY, ...advisory.cwe.filter((n) => n !== CWE_VULNERABLE_DEPENDENCY)],
    message,
    location: { path: constraint.path, ...constraint.span },
    sinkCallee: pkg,
    provenance: "unknown",
    trace: [],
    remediation,
    helpUri: HELP_URI,
    ...(fix ? { fix } : {}),
    fingerprint: fingerprint(constraint.path, pkg, advisory.id),
  };
}

/**
 * Reports each manifest line (one per file, package and advisory) that lets an affected version be installed.
 * When a lock file pins the package, only its locked versions count and the lock line is reported.
 */
export function checkDependencyAdvisories(
  files: readonly SourceFile[],
  advisories: readonly Advisory[],
): Finding[] {
  return checkPinnedDependencies(readDependencyPins(files), advisories);
}

// The advisories are the same for every analysis of a process: their ranges are translated once.
const advisoriesByPackage = new WeakMap<readonly Advisory[], Map<string, Matched[]>>();

function byPackageOf(advisories: readonly Advisory[]): Map<string, Matched[]> {
  const cached = advisoriesByPackage.get(advisories);
  if (cached) return cached;
  const byPackage = new Map<string, Matched[]>();
  for (const advisory of advisories) {
    const range = pep440ToSemverRange(advisory.affected, AFFECTED_RANGE);
    if ("error" in range) continue;
    const name = normalizePackageName(advisory.package);
    const list = byPackage.get(name) ?? [];
    list.push({ advisory, affectedRange: range.range });
    byPackage.set(name, list);
  }
  advisoriesByPackage.set(advisories, byPackage);
  return byPackage;
}

/** As `checkDependencyAdvisories`, over pins already read (the engine reads them once per analysis). */
export function checkPinnedDependencies(pins: DependencyPins, advisories: readonly Advisory[]): Finding[] {
  const byPackage = byPackageOf(advisories);
  const findings: Finding[] = [];
  for (const [name, candidates] of byPackage) {
    const packagePins = pins.packages.get(name);
    if (!packagePins) continue;
    const matched = candidates.filter(({ affectedRange }) => intersects(packagePins.range, affectedRange));
    const constraints = packagePins.locked.length > 0 ? packagePins.locked : packagePins.declared;
    for (const match of matched) {
      const reportedFiles = new Set<string>();
      for (const constraint of constraints) {
        if (reportedFiles.has(constraint.path) || !intersects(constraint.range, match.affectedRange))
          continue;
        reportedFiles.add(constraint.path);
        findings.push(findingFor(packagePins, constraint, match, matched));
      }
    }
  }
  return findings.sort(
    (a, b) =>
      a.location.path.localeCompare(b.location.path) ||
      a.location.startLine - b.location.startLine ||
      a.message.localeCompare(b.message),
  );
}
