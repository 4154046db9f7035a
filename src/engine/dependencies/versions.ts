// Version decisions: does every version a project may install have some behaviour? Pure, never throws.
// "Decided" only when the pins prove it for every admitted version; an unpinned package is never decided.

import semver from "semver";
import type { Constraint, DependencyPins, PackagePins } from "./pins.js";
import { normalizePackageName } from "./pins.js";
import type { VersionGate } from "../models.js";
import type { VersionDecision } from "../rule.js";
import { NO_VERSION, pep440ToSemver, SEMVER_OPTIONS } from "./pep440.js";

export type Decision = { decided: true; reason: string } | { decided: false; reason: string };

function where(constraint: Constraint): string {
  return `${constraint.path}:${constraint.line}`;
}

/** "pinned to >=2.6,<3 in requirements.txt:3", "locked to 2.5.1 in uv.lock:12", or null when nothing pins it. */
export function describePins(pins: PackagePins): string | null {
  if (pins.locked.length > 0) {
    return `locked to ${pins.locked.map((c) => `${c.specifier} in ${where(c)}`).join(" and ")}`;
  }
  const pinned = pins.declared.filter((constraint) => constraint.specifier !== "");
  if (pinned.length === 0) return null;
  return `pinned to ${pinned.map((c) => `${c.specifier} in ${where(c)}`).join(" and ")}`;
}

function lowestAdmitted(range: string): string | null {
  try {
    const lowest = semver.minVersion(range, SEMVER_OPTIONS);
    // Encoded pre/post/dev releases do not read well in a message; only plain releases are quoted.
    return lowest && lowest.prerelease.length === 0 ? lowest.version : null;
  } catch {
    return null;
  }
}

/**
 * Decided when every version `pins` admit for `pkg` is at least `minimum` (a PEP 440 version). The reason names
 * the manifest lines either way, for use in a finding message.
 */
export function onlyAdmitsAtLeast(
  pins: DependencyPins,
  pkg: string,
  minimum: string,
  wording: { from: string; before: string } = { from: `versions are ${minimum} or later`, before: "" },
): Decision {
  const name = normalizePackageName(pkg);
  const floor = pep440ToSemver(minimum);
  if ("error" in floor)
    return { decided: false, reason: `cannot compare ${name} against ${minimum}: ${floor.error}` };
  const olderSuffix = wording.before === "" ? "" : `, where ${wording.before}`;

  const packagePins = pins.packages.get(name);
  if (!packagePins) {
    return {
      decided: false,
      reason: `${name} is not pinned in any manifest, so versions before ${minimum} may be installed${olderSuffix}`,
    };
  }
  const described = describePins(packagePins);
  if (described === null) {
    const listed = packagePins.declared.map(where).join(" and ");
    return {
      decided: false,
      reason: `${name} has no version constraint in ${listed}, so versions before ${minimum} may be installed${olderSuffix}`,
    };
  }
  const range = packagePins.range;
  let atLeast = false;
  let satisfiable = range !== NO_VERSION;
  try {
    satisfiable = satisfiable && semver.intersects(range, "*", SEMVER_OPTIONS);
    atLeast = satisfiable && semver.subset(range, `>=${floor.version}`, SEMVER_OPTIONS);
  } catch {
    satisfiable = false;
  }
  if (!satisfiable) {
    return {
      decided: false,
      reason: `${name} is ${described}, which together admit no version, so the installed version is unknown`,
    };
  }
  if (atLeast) return { decided: true, reason: `${name} is ${described}, where ${wording.from}` };
  const lowest = lowestAdmitted(range);
  const example = lowest === null ? "" : ` (e.g. ${lowest})`;
  return {
    decided: false,
    reason: `${name} is ${described}, which admits versions before ${minimum}${example}${olderSuffix}`,
  };
}

/**
 * Decides a sink's version gate (rules/models: `version_gate`): safe when every version the pins admit has
 * the safe default. An unpinned package is safe only for gates that say old versions are too rare to
 * report (`report_when_unpinned: false`).
 */
export function decideVersionGate(pins: DependencyPins, gate: VersionGate): VersionDecision {
  if (!pins.packages.has(normalizePackageName(gate.package)) && !gate.reportWhenUnpinned) {
    return { safe: true, reason: `${gate.package} is not pinned; ${gate.because}` };
  }
  const decision = onlyAdmitsAtLeast(pins, gate.package, gate.safeFrom, { from: gate.because, before: "" });
  const reason = capitalise(decision.reason);
  return decision.decided ? { safe: true, reason } : { safe: false, reason: `${reason}; ${gate.because}.` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
