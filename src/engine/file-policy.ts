// Which files are analysed: one policy for the CLI's directory walk, the App's selection of files from a
// pull request and its tree, and the engine. Pure: names and paths in, decisions out; walking a disk or
// listing a tree is the front doors' job.
//
// - Python sources (`PYTHON_SOURCE_EXTENSIONS`, the one place a new kind of source is added) and the
//   dependency manifests that decide version gates (`manifestKind`).
// - Directories are walked, hidden ones included (`.github/scripts/` holds code that runs in CI), except
//   version-control and tool directories, and installed code: virtual environments (by name, or any
//   directory holding a `pyvenv.cfg`), `site-packages`, `node_modules`, tox/nox environments.
// - Vendored copies of other projects (`vendor/`, `third_party/` ...) are analysed (their code runs with the
//   project's data) but their manifests pin nothing for the project (dependencies/scope.ts).
// - Config `exclude` patterns (glob.ts) apply to a path when they match it or any directory above it.

/** File name endings of Python sources. */
export const PYTHON_SOURCE_EXTENSIONS = [".py", ".pyi"] as const;

export function isPythonSource(path: string): boolean {
  return PYTHON_SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension));
}

export type ManifestKind = "requirements" | "pyproject" | "pipfile" | "setup.cfg" | "uv.lock" | "poetry.lock";

/** The dependency manifest a file is, by its name (and a `requirements/` folder), or null. */
export function manifestKind(path: string): ManifestKind | null {
  const normalized = path.replace(/\\/g, "/");
  const base = normalized.slice(normalized.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  if (lower === "pyproject.toml") return "pyproject";
  if (base === "Pipfile") return "pipfile";
  if (lower === "setup.cfg") return "setup.cfg";
  if (lower === "uv.lock") return "uv.lock";
  if (lower === "poetry.lock") return "poetry.lock";
  if (/requirements.*\.(txt|in)$/i.test(lower) || /^constraints.*\.txt$/i.test(lower)) return "requirements";
  if (lower.endsWith(".txt") && normalized.split("/").slice(0, -1).includes("requirements"))
    return "requirements";
  return null;
}

/** Python sources and dependency manifests: what the rules read. */
/** Jupyter notebooks: their code cells are analysed as one module (notebook.ts); they are never imported. */
export const NOTEBOOK_EXTENSION = ".ipynb";

export function isAnalysedFile(path: string): boolean {
  return isPythonSource(path) || path.endsWith(NOTEBOOK_EXTENSION) || manifestKind(path) !== null;
}

/** Files larger than this are skipped and listed by the CLI and the App (generated code, vendored bundles). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Files whose presence marks the root of a Python project (and of its module names). */
export const PROJECT_MARKERS = ["pyproject.toml", "setup.py", "setup.cfg"] as const;

/** A directory holding this file is a virtual environment, whatever its name. */
export const VIRTUAL_ENVIRONMENT_MARKER = "pyvenv.cfg";

/** Never hold the project's Python and are present everywhere: left out without a note. */
const SILENT_DIRECTORIES = new Set([".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints"]);

/** Installed code, not the project's: left out, with a note saying why. */
const INSTALLED_DIRECTORIES: Readonly<Record<string, string>> = {
  node_modules: "installed packages",
  "site-packages": "installed packages",
  "dist-packages": "installed packages",
  ".venv": "virtual environment",
  venv: "virtual environment",
  ".tox": "tox environments",
  ".nox": "nox environments",
  ".eggs": "installed build dependencies",
  ".direnv": "virtual environment",
};

export type PrunedDirectory = { silent: true } | { silent: false; reason: string };

/**
 * Whether a directory of this name is left out, and how: silently (version control, caches) or with a
 * reason. `hasVirtualEnvironmentMarker`: the directory holds a `pyvenv.cfg` (when the caller can tell).
 */
export function prunedDirectory(
  name: string,
  hasVirtualEnvironmentMarker = false,
): PrunedDirectory | undefined {
  if (SILENT_DIRECTORIES.has(name) || (name.startsWith(".") && name.endsWith("_cache")))
    return { silent: true };
  const installed = INSTALLED_DIRECTORIES[name];
  if (installed) return { silent: false, reason: installed };
  if (hasVirtualEnvironmentMarker) return { silent: false, reason: "virtual environment" };
  return undefined;
}

/**
 * Why a repository path is left out by the directories above it (the App sees paths, not a walk), or
 * undefined. `isVirtualEnvironment(dir)` says whether a directory holds a `pyvenv.cfg`.
 */
export function prunedPathReason(
  path: string,
  isVirtualEnvironment: (directory: string) => boolean = () => false,
): PrunedDirectory | undefined {
  const segments = path.split("/");
  for (let i = 0; i < segments.length - 1; i++) {
    const pruned = prunedDirectory(segments[i]!, isVirtualEnvironment(segments.slice(0, i + 1).join("/")));
    if (pruned) return pruned;
  }
  return undefined;
}

/** Directory names that hold other projects' code: analysed, but their manifests pin nothing here. */
export const VENDORED_DIRECTORIES: ReadonlySet<string> = new Set([
  "vendor",
  "vendored",
  "_vendor",
  "third_party",
  "third-party",
  "thirdparty",
  "3rdparty",
  "external",
  "externals",
  ...Object.keys(INSTALLED_DIRECTORIES),
]);
