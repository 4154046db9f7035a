// Version decisions: does every version a project may install have some behaviour? Pure, never throws.
// "Decided" only when the pins prove it for every admitted version; an unpinned package is never decided.

import semver from "semver";
import type { Constraint, DependencyPins, PackagePins } from "./manifests.js";
import { normalizePackageName } from "./manifests.js";
import { NO_VERSION, pep440ToSemver, SEMVER_OPTIONS } from "./pep440.js";

export type Decision = { decided: true; reason: string } | { decided: false; reason: string };

/** A library behaviour that holds from one version on, worded for finding messages. */
export interface VersionBehaviour {
  /** PyPI name. */
  package: string;
  /** First PEP 440 version with the behaviour `from`. */
  since: string;
  /** What holds from `since` on, e.g. "torch.load defaults to weights_only=True". */
  from: string;
  /** What holds before `since`. */
  before: string;
}

export const TORCH_LOAD_WEIGHTS_ONLY_DEFAULT: VersionBehaviour = {
  package: "torch",
  since: "2.6.0",
  from: "torch.load defaults to weights_only=True",
  before: "torch.load defaults to weights_only=False and unpickles arbitrary objects",
};

export const NUMPY_LOAD_ALLOW_PICKLE_DEFAULT: VersionBehaviour = {
  package: "numpy",
  since: "1.16.3",
  from: "numpy.load defaults to allow_pickle=False",
  before: "numpy.load defaults to allow_pickle=True and unpickles object arrays",
};

export const YAML_LOAD_REQUIRES_LOADER: VersionBehaviour = {
  package: "pyyaml",
  since: "6.0",
  from: "yaml.load without a Loader raises TypeError",
  before: "yaml.load without a Loader still loads (with FullLoader from 5.1, with the unsafe Loader before)",
};

export const YAML_FULL_LOADER_PATCHED: VersionBehaviour = {
  package: "pyyaml",
  since: "5.4",
  from: "FullLoader no longer runs code through python/object/new (CVE-2020-14343 fixed)",
  before: "FullLoader can run arbitrary code through python/object/new (CVE-2020-14343)",
};

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

/** Decided when every admitted version of the behaviour's package has the behaviour. */
export function hasBehaviour(pins: DependencyPins, behaviour: VersionBehaviour): Decision {
  return onlyAdmitsAtLeast(pins, behaviour.package, behaviour.since, behaviour);
}

/** torch.load without weights_only is safe by default only when every admitted torch is >= 2.6.0. */
export function torchLoadDefaultsToWeightsOnly(pins: DependencyPins): Decision {
  return hasBehaviour(pins, TORCH_LOAD_WEIGHTS_ONLY_DEFAULT);
}

/** numpy.load without allow_pickle refuses pickles only when every admitted numpy is >= 1.16.3. */
export function numpyLoadDisallowsPickleByDefault(pins: DependencyPins): Decision {
  return hasBehaviour(pins, NUMPY_LOAD_ALLOW_PICKLE_DEFAULT);
}

/** A bare `yaml.load(x)` cannot load anything (TypeError) only when every admitted PyYAML is >= 6.0. */
export function yamlLoadRequiresLoader(pins: DependencyPins): Decision {
  return hasBehaviour(pins, YAML_LOAD_REQUIRES_LOADER);
}

/** `yaml.load(x, Loader=FullLoader)` / `yaml.full_load` is not exploitable only when every admitted PyYAML is >= 5.4. */
export function yamlFullLoaderIsPatched(pins: DependencyPins): Decision {
  return hasBehaviour(pins, YAML_FULL_LOADER_PATCHED);
}
