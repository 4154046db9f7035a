// `rce-guard scan`: paths → files → engine → report → exit status. Everything a scan decides that is not
// file discovery, git or rendering lives here, so main.ts stays a thin shell around it.
import { existsSync } from "node:fs";
import { lstat, mkdir, open, opendir, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import pc from "picocolors";
import type { AsyncRunOptions } from "../run-analysis.js";
import { type AnalysisResult, type LineRanges, PROJECT_MARKERS, type SourceFile } from "../engine/index.js";
import { renderJson } from "../report/json.js";
import { renderSarif } from "../report/sarif.js";
import {
  EXIT_ERROR,
  EXIT_FINDINGS,
  EXIT_INCOMPLETE,
  EXIT_OK,
  exitStatus,
  type ScanReport,
} from "../report/scan-report.js";
import { renderSummary, renderText } from "../report/text.js";
import { renderWorkflowCommands } from "../report/workflow-commands.js";
import { CliError, type ScanOptions } from "./args.js";
import { loadConfig } from "./config-file.js";
import { discoverFiles, isInside } from "./discover.js";
import { changedLinesSince, gitIgnoredPaths, headRevision } from "./git.js";
import { filesChangedSince, scanModelFiles } from "./model-files.js";
import { DEFAULT_MAX_MODEL_FILE_BYTES } from "../model-files/select.js";
import { Progress, type ProgressStream } from "./progress.js";
import { toolVersion } from "./version.js";

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK };

export async function runScan(options: ScanOptions, io: CliIo): Promise<number> {
  const startedAt = performance.now();
  const paths = options.paths.map((path) => resolve(io.cwd, path));
  for (const [index, path] of paths.entries()) await checkNamedPath(path, options.paths[index]!);
  const root = await scanRoot(
    paths,
    options.root === undefined ? undefined : resolve(io.cwd, options.root),
    io.cwd,
  );
  const realRoot = await realpath(root);
  // The project the named paths belong to: its other files are read as context, so a scan of `pkg/sub`
  // follows imports into `pkg/` (and is followed from there) as a scan of the whole project does.
  const project = await projectRoot(paths, root, options.root !== undefined);
  const context = paths.some((path) => isInside(path, project)) ? undefined : project;
  for (const [index, path] of paths.entries()) {
    // Links met while walking are not followed out of the root either (discover.ts says so in the report).
    if (!isInside(realRoot, await realpath(path))) {
      throw new CliError(
        `${options.paths[index]} is a symbolic link to a path outside the scan root; name the target itself, or choose the root with --root`,
      );
    }
  }
  const { config } = await loadConfig(root, options.config, io.cwd);
  const failOn = options.failOn ?? config.failOn;

  const progress = Progress.for(io.stderr, options.quiet);
  const ignored = options.noIgnore ? undefined : await gitIgnoredPaths(root);
  const discovered = await discoverFiles({
    root,
    realRoot,
    paths,
    exclude: [...config.exclude, ...(options.exclude ?? [])],
    ...(ignored ? { ignored } : {}),
    ...(context ? { context } : {}),
    maxFileSize: options.maxFileSize,
    onProgress: (event) =>
      event.phase === "walk"
        ? progress.update("files found", event.found)
        : progress.update("files read", event.done, event.total),
  });

  // Discovery already applied `exclude` (and listed what it left out, honouring paths named on the
  // command line); the engine applying it again would silently drop those named paths.
  // --max-file-size is the one size limit: the engine gets the same number, so it never drops what
  // discovery let through. The budget's clock is the CLI's; the engine reads none of its own.
  const analysisOptions: AsyncRunOptions = {
    config: { ...config, exclude: [] },
    maxFileBytes: options.maxFileSize,
    budget: {
      clock: () => performance.now(),
      fileMs: toMs(options.fileBudgetSeconds),
      totalMs: toMs(options.totalBudgetSeconds),
    },
  };
  if (options.threads !== undefined) analysisOptions.parseThreads = options.threads;
  let diff: ScanReport["diff"];
  let changedModelFiles: Set<string> | undefined;
  if (options.diffBase !== undefined) {
    progress.announce(`comparing with ${options.diffBase}`);
    const since = await changedLinesSince(root, options.diffBase);
    diff = { base: options.diffBase, mergeBase: since.mergeBase };
    // Every analysed file gets an entry: unchanged ones an empty list (context only), untracked ones
    // all of their lines, since git has no older version to compare them with.
    const changedLines = new Map<string, LineRanges>();
    for (const file of [...discovered.files, ...discovered.contextFiles]) {
      const ranges: LineRanges = since.untracked.has(file.path)
        ? [[1, file.text.split("\n").length]]
        : (since.changed.get(file.path) ?? []);
      changedLines.set(file.path, ranges);
    }
    analysisOptions.changedLines = changedLines;
    if (discovered.modelFiles.length > 0) {
      changedModelFiles = new Set([...(await filesChangedSince(root, since.mergeBase)), ...since.untracked]);
    }
  }

  progress.announce(
    `analysing ${discovered.files.length} files${discovered.contextFiles.length > 0 ? ` (and ${discovered.contextFiles.length} more of the project as context)` : ""}`,
  );
  // Loaded late so that usage and configuration errors answer without loading the parser and models.
  const { runAnalysisAsync } = await import("../run-analysis.js");
  const analysed = await runAnalysisAsync([...discovered.files, ...discovered.contextFiles], analysisOptions);
  const result = context ? onlyNamedFiles(analysed, discovered.files) : analysed;
  // VNX-DESER-004: model and data files are read as bytes, apart from the Python engine.
  const models = await scanModelFiles(discovered.modelFiles, {
    maxBytes: DEFAULT_MAX_MODEL_FILE_BYTES,
    ...(changedModelFiles ? { changed: changedModelFiles } : {}),
  });
  progress.clear();

  const report: ScanReport = {
    toolVersion: toolVersion(),
    result: {
      ...result,
      findings: [...result.findings, ...models.findings],
      diagnostics: [...discovered.diagnostics, ...result.diagnostics, ...models.diagnostics],
    },
    stats: {
      files: result.stats.files,
      bytes: result.stats.bytes,
      parseErrors: result.stats.parseErrors,
      skippedFiles: discovered.skippedFiles,
      durationMs: performance.now() - startedAt,
    },
    failOn,
    allowIncomplete: options.allowIncomplete,
    ...(diff ? { diff } : {}),
    ...(options.format === "sarif" ? { checkout: await checkoutFor(root, io.env) } : {}),
    sources: new Map([...discovered.files, ...discovered.contextFiles].map((file) => [file.path, file.text])),
  };

  const toFile = options.output !== undefined;
  const color =
    options.color && !toFile && io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== "dumb";
  const rendered = render(report, options, color);
  if (options.output !== undefined) {
    const target = resolve(io.cwd, options.output);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, rendered);
    } catch (error) {
      throw new CliError(`cannot write ${options.output}: ${(error as Error).message}`);
    }
    if (!options.quiet) {
      const stderrColor = options.color && io.stderr.isTTY === true && !io.env.NO_COLOR;
      io.stderr.write(
        `${renderSummary(report, pc.createColors(stderrColor))}\nReport written to ${options.output}\n`,
      );
    }
  } else {
    io.stdout.write(rendered);
  }
  return exitStatus(report);
}

/**
 * For SARIF's %SRCROOT% and version-control provenance: the commit from one `git rev-parse HEAD`, the
 * repository URL only from GitHub Actions' environment (never from a remote, whose URL may hold a token).
 */
async function checkoutFor(root: string, env: CliIo["env"]): Promise<NonNullable<ScanReport["checkout"]>> {
  const revisionId = await headRevision(root);
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const repositoryUri =
    server && repository && /^https?:\/\//.test(server) && /^[\w.-]+\/[\w.-]+$/.test(repository)
      ? `${server.replace(/\/+$/, "")}/${repository}`
      : undefined;
  const branch = env.GITHUB_REF?.startsWith("refs/heads/") ? env.GITHUB_REF : undefined;
  return {
    root,
    ...(repositoryUri ? { repositoryUri } : {}),
    ...(revisionId ? { revisionId } : {}),
    ...(branch ? { branch } : {}),
  };
}

function toMs(seconds: number | undefined): number {
  return seconds === undefined ? Number.POSITIVE_INFINITY : seconds * 1000;
}

/**
 * A path named on the command line must be readable: the user asked for it, so skipping it with a note
 * would report a scan that did not happen. Only the type and permissions are checked here; a FIFO or a
 * device is refused, since reading it could block or never end.
 */
async function checkNamedPath(path: string, given: string): Promise<void> {
  const link = await lstat(path).catch((error: NodeJS.ErrnoException) => error);
  if (link instanceof Error) {
    if (link.code === "ENOENT" || link.code === "ENOTDIR") throw new CliError(`path not found: ${given}`);
    throw new CliError(`cannot read ${given}: ${errorReason(link)}`);
  }
  const info = link.isSymbolicLink() ? await stat(path).catch((error: NodeJS.ErrnoException) => error) : link;
  if (info instanceof Error) {
    throw new CliError(
      info.code === "ENOENT"
        ? `path not found: ${given} (a symbolic link to nothing)`
        : `cannot read ${given}: ${errorReason(info)}`,
    );
  }
  try {
    if (info.isDirectory()) await (await opendir(path)).close();
    else if (info.isFile()) await (await open(path, "r")).close();
    else throw new CliError(`cannot read ${given}: not a regular file or directory`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const what = info.isDirectory() ? "cannot list the directory" : "cannot open the file";
    throw new CliError(`cannot read ${given}: ${what} (${errorReason(error)})`);
  }
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return error instanceof Error ? error.message : String(error);
}

function render(report: ScanReport, options: ScanOptions, color: boolean): string {
  switch (options.format) {
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report);
    case "github":
      return renderWorkflowCommands(report);
    case "text":
      return renderText(report, { color, quiet: options.quiet });
  }
}

/**
 * Reported paths are relative to the root. By default it is the enclosing git work tree, because that is
 * what GitHub annotations and SARIF's %SRCROOT% mean; outside git, the nearest enclosing Python project
 * (pyproject.toml, setup.py, setup.cfg); else the current directory when it holds all paths, else the
 * deepest directory that does.
 */
async function scanRoot(
  paths: readonly string[],
  explicitRoot: string | undefined,
  cwd: string,
): Promise<string> {
  if (explicitRoot !== undefined) {
    const info = await stat(explicitRoot).catch(() => undefined);
    if (!info?.isDirectory()) throw new CliError(`--root ${explicitRoot} is not a directory`);
    for (const path of paths) {
      if (!isInside(explicitRoot, path)) throw new CliError(`${path} is outside the root ${explicitRoot}`);
    }
    return explicitRoot;
  }
  const directories = await Promise.all(
    paths.map(async (path) => ((await stat(path)).isDirectory() ? path : dirname(path))),
  );
  const common = directories.reduce(commonAncestor);
  for (let directory = common; ; directory = dirname(directory)) {
    if (existsSync(join(directory, ".git"))) return directory;
    if (dirname(directory) === directory) break;
  }
  // Outside git, a Python project's root (its pyproject.toml, setup.py or setup.cfg) when the paths are in one,
  // so that `cd pkg/sub && rce-guard scan .` reads the project around it.
  for (let directory = common; ; directory = dirname(directory)) {
    if (PROJECT_MARKERS.some((name) => existsSync(join(directory, name)))) return directory;
    if (dirname(directory) === directory) break;
  }
  // Else paths read best relative to where the user stands, and that is where a config file is.
  return isInside(cwd, common) ? cwd : common;
}

/**
 * The root of the project the named paths belong to: the nearest directory at or above them (up to the
 * scan root) with a git repository or a Python project file (`pyproject.toml`, `setup.py`, `setup.cfg`).
 * Module names and imports resolve from there, whichever folder the scan was pointed at.
 */
async function projectRoot(paths: readonly string[], root: string, rootNamed: boolean): Promise<string> {
  const directories = await Promise.all(
    paths.map(async (path) => ((await stat(path)).isDirectory() ? path : dirname(path))),
  );
  const common = directories.reduce(commonAncestor);
  if (!isInside(root, common)) return root;
  for (let directory = common; directory !== root; directory = dirname(directory)) {
    if (isProjectDirectory(directory)) return directory;
    if (dirname(directory) === directory) break;
  }
  // A root that is only where the user stands (no repository, no project file) is not a project: reading
  // all of it as context would read every folder beside the one asked for (a home directory, /tmp).
  return rootNamed || isProjectDirectory(root) ? root : common;
}

function isProjectDirectory(directory: string): boolean {
  return (
    existsSync(join(directory, ".git")) || PROJECT_MARKERS.some((name) => existsSync(join(directory, name)))
  );
}

/** Findings and diagnostics of the named files only (the rest of the project was context). */
function onlyNamedFiles(result: AnalysisResult, named: readonly SourceFile[]): AnalysisResult {
  const paths = new Set(named.map((file) => file.path));
  return {
    ...result,
    findings: result.findings.filter((finding) => paths.has(finding.location.path)),
    suppressed: result.suppressed.filter((finding) => paths.has(finding.location.path)),
    diagnostics: result.diagnostics.filter((diagnostic) => paths.has(diagnostic.path)),
    stats: {
      ...result.stats,
      files: named.length,
      bytes: named.reduce((sum, file) => sum + file.text.length, 0),
    },
  };
}

function commonAncestor(a: string, b: string): string {
  const left = a.split(sep);
  const right = b.split(sep);
  let length = 0;
  while (length < left.length && length < right.length && left[length] === right[length]) length++;
  return left.slice(0, length).join(sep) || sep;
}
