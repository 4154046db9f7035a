// Which manifests govern which file. A Python file runs with the dependencies of the project it belongs to:
// the nearest enclosing directory with a pyproject.toml, setup.py, setup.cfg or Pipfile (a project root),
// else the top of the scanned tree. That project's pins are the manifests in its root directory, in a
// `requirements/` folder there, and the requirement files they include (`-r`, `-c`). Requirement files
// elsewhere inside a project (an example's, a plugin's, a test fixture's) pin nothing for the project's code,
// and copies of other projects' manifests (vendored trees, third-party folders, a repository dropped into
// a Python package) pin nothing at all. Pure; never throws.

import { posix } from "node:path";
import { PROJECT_MARKERS, VENDORED_DIRECTORIES } from "../file-policy.js";
import { type Constraint, type DependencyPins, normalizePackageName, pinsOf } from "./pins.js";

/** A project root for its dependencies: the file policy's project markers, and a Pipfile (an application's). */
const PROJECT_FILES = new Set<string>([...PROJECT_MARKERS, "Pipfile"]);

function normalise(path: string): string {
  return posix.normalize(path.replace(/\\/g, "/")).replace(/^\.\//, "");
}

function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === "." ? "" : dir;
}

function parentOf(dir: string): string | null {
  if (dir === "") return null;
  return dirOf(dir);
}

export interface ManifestScope {
  /** The pins that decide a version gate on `pkg` for the Python file at `path`. */
  pinsFor(path: string, pkg: string): Omit<DependencyPins, "files">;
  /** True when the manifest at `path` is a copy of another project's (vendored): it pins nothing. */
  isVendored(path: string): boolean;
}

/** `paths`: the project's files (analysed or not: project roots and packages are read from their names). */
export function manifestScope(paths: Iterable<string>, pins: DependencyPins): ManifestScope {
  const normalised = new Set<string>();
  for (const path of paths) normalised.add(normalise(path));
  const allPaths = normalised;
  const packageDirs = new Set([...allPaths].filter((p) => posix.basename(p) === "__init__.py").map(dirOf));

  // A directory that is itself an importable package of the enclosing project holds vendored code even
  // when it carries a setup.py (a repository copied into `pkg/submodules/efficientnet_repo/`).
  const vendoredDir = (dir: string): boolean => {
    if (dir.split("/").some((segment) => VENDORED_DIRECTORIES.has(segment))) return true;
    return packageDirs.has(dir);
  };
  const isVendored = (path: string) => {
    const dir = dirOf(normalise(path));
    return dir !== "" && vendoredDir(dir);
  };

  const roots = new Set<string>([""]);
  for (const path of allPaths) {
    if (!PROJECT_FILES.has(posix.basename(path))) continue;
    const dir = dirOf(path);
    if (!vendoredDir(dir)) roots.add(dir);
  }

  // The constraints of each root: manifests in it or in its requirements/ folder, then what they include.
  const byRoot = new Map<string, Constraint[]>();
  const manifestRoot = new Map<string, string>();
  for (const manifest of pins.files) {
    const path = normalise(manifest.path);
    const dir = dirOf(path);
    if (isVendored(path)) continue;
    if (roots.has(dir)) manifestRoot.set(path, dir);
    else if (posix.basename(dir) === "requirements" && roots.has(dirOf(dir)))
      manifestRoot.set(path, dirOf(dir));
  }
  const queue = [...manifestRoot.keys()];
  const includes = new Map(pins.files.map((m) => [normalise(m.path), m.includes]));
  while (queue.length > 0) {
    const path = queue.pop()!;
    for (const included of includes.get(path) ?? []) {
      if (manifestRoot.has(included) || isVendored(included)) continue;
      manifestRoot.set(included, manifestRoot.get(path)!);
      queue.push(included);
    }
  }
  for (const constraint of pins.constraints) {
    const root = manifestRoot.get(normalise(constraint.path));
    if (root === undefined) continue;
    const list = byRoot.get(root) ?? [];
    list.push(constraint);
    byRoot.set(root, list);
  }

  const pinsByRoot = new Map<string, Omit<DependencyPins, "files">>();
  const rootPins = (root: string) => {
    let cached = pinsByRoot.get(root);
    if (!cached) {
      cached = pinsOf(byRoot.get(root) ?? []);
      pinsByRoot.set(root, cached);
    }
    return cached;
  };

  return {
    isVendored,
    pinsFor(path, pkg) {
      // The nearest project root that pins the package; a nested project that does not mention it runs with
      // what the enclosing one installs.
      const name = normalizePackageName(pkg);
      let first: string | undefined;
      for (let dir: string | null = dirOf(normalise(path)); dir !== null; dir = parentOf(dir)) {
        if (!roots.has(dir)) continue;
        first ??= dir;
        const pinned = rootPins(dir);
        if (pinned.packages.has(name)) return pinned;
      }
      return rootPins(first ?? "");
    },
  };
}
