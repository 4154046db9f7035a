// Dependency pins: what the manifests of a project admit, per package, as semver ranges (pep440.ts gives the
// encoding). The engine takes them as an input (the caller reads the manifests, src/manifests/) and decides
// version gates and advisories from them. Pure.
import type { ManifestKind } from "../file-policy.js";
import type { Diagnostic, Span } from "../types.js";
import { ANY_VERSION, intersectRanges, unionRanges } from "./pep440.js";

export type { ManifestKind };

/** How a specifier is written, so a fix can rewrite it in the same syntax. */
export type SpecifierSyntax = "pep440" | "poetry" | "lock";

export interface Constraint {
  /** PEP 503 normalised name. */
  package: string;
  path: string;
  source: ManifestKind;
  /** 1-based line of the requirement (of its version, in a lock file). */
  line: number;
  /** The text a fix replaces: name through specifier in requirement strings, the version string elsewhere. */
  span: Span;
  /** Text a rewrite keeps in front of the new specifier inside `span` (`torch[cuda]`), empty when none. */
  head: string;
  /** False when `span` is only approximate (string with escapes, requirement continued over lines, lock file). */
  rewritable: boolean;
  /** The specifier as written; empty when the package is unpinned; the exact version in a lock file. */
  specifier: string;
  syntax: SpecifierSyntax;
  /** Versions admitted, to be evaluated with SEMVER_OPTIONS; ANY_VERSION when unpinned or unparseable. */
  range: string;
  /** Environment marker the constraint is conditioned on, if any (not evaluated). */
  marker: string | null;
}

export interface PackagePins {
  name: string;
  /** What may be installed: the locked versions when a lock file has any, else what the manifests admit together. */
  range: string;
  declared: Constraint[];
  locked: Constraint[];
}

export interface ManifestFile {
  path: string;
  kind: ManifestKind;
  diagnostics: Diagnostic[];
  /** Requirement files this one reads through `-r`/`-c` (normalised paths among the scanned files). */
  includes: string[];
}

export interface DependencyPins {
  packages: ReadonlyMap<string, PackagePins>;
  files: ManifestFile[];
  /** Every constraint read, in reading order (scoping picks the ones that govern a file). */
  constraints: readonly Constraint[];
}

/** PEP 503: lowercase, runs of `-`, `_` and `.` collapse to `-`. */
export function normalizePackageName(name: string): string {
  return name
    .trim()
    .replace(/[-_.]+/g, "-")
    .toLowerCase();
}

// Markers are not evaluated, so every environment is assumed possible: where an unconditioned constraint exists,
// some environment may satisfy none of the markers and see only the unconditioned ones; where none exists, the
// package is installed only where a marker holds, under any one of the conditioned constraints.
function admittedRange(declared: readonly Constraint[], locked: readonly Constraint[]): string {
  if (locked.length > 0) return unionRanges(locked.map((constraint) => constraint.range));
  const unconditioned = declared.filter((constraint) => constraint.marker === null);
  if (unconditioned.length === 0) return unionRanges(declared.map((constraint) => constraint.range));
  return unconditioned.reduce((range, constraint) => intersectRanges(range, constraint.range), ANY_VERSION);
}

/** Per-package pins of a set of constraints (all of a scan's, or the ones governing one file). */
export function pinsOf(constraints: readonly Constraint[]): Omit<DependencyPins, "files"> {
  const grouped = new Map<string, { declared: Constraint[]; locked: Constraint[] }>();
  for (const constraint of constraints) {
    const group = grouped.get(constraint.package) ?? { declared: [], locked: [] };
    (constraint.syntax === "lock" ? group.locked : group.declared).push(constraint);
    grouped.set(constraint.package, group);
  }
  const packages = new Map<string, PackagePins>();
  for (const [name, { declared, locked }] of grouped) {
    packages.set(name, { name, range: admittedRange(declared, locked), declared, locked });
  }
  return { packages, constraints };
}
