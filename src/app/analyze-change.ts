// From a list of changed files to an AnalysisResult: choose the files the rules read, fetch them (and the
// local modules they import) at the head commit in batched GraphQL queries, work out the changed lines,
// run the same engine call as the CLI. GitHub I/O lives in src/github; this only sequences it.
import type { Logger } from "pino";
import { RULES } from "../../rules/index.js";
import {
  type AnalysisResult,
  compileExclude,
  DEFAULT_MAX_FILE_BYTES,
  isAnalysedFile,
  type LineRanges,
  prunedPathReason,
  type SourceFile,
} from "../engine/index.js";
import { CONFIG_PATH, type Config } from "../config.js";
import type { SkippedFile } from "../report/check-run.js";
import {
  type BlobLimits,
  type BlobRequest,
  type BlobResult,
  DEFAULT_BLOB_LIMITS,
  type ExtraSelection,
  fetchBlobs,
  fetchTree,
  type RepoRef,
} from "../github/contents.js";
import {
  configSelection,
  type LoadedConfig,
  layerConfig,
  previewProblems,
  readConfigTexts,
  type SourcedProblem,
} from "../github/config.js";
import { addedLines, EMPTY_HUNK_MAP, type HunkMap, parsePatch } from "../github/diff.js";
import type { GitHub } from "../github/octokit.js";
import type { ChangedFile } from "../github/pull-request.js";
import { DEFAULT_MAX_MODEL_FILE_BYTES, isModelFileName } from "../model-files/select.js";
import { type AnalysisBudgets, analyzeIsolated, DEFAULT_BUDGETS } from "./isolated-analysis.js";
import { scanChangedModelFiles } from "./model-files.js";
import { RepositoryFiles } from "./repository-files.js";

/** The rule ids that exist: a configuration naming any other is told so. */
const KNOWN_RULES = RULES.map((rule) => rule.meta.id);

export interface Limits {
  /** Changed files analysed per run; the rest are listed as skipped. */
  maxFiles: number;
  /** Local modules fetched because changed files import them. */
  maxImportedFiles: number;
  /** Unchanged dependency manifests fetched to decide version gates (the shallowest first). */
  maxContextManifests?: number;
  blobs: BlobLimits;
  /** Time and memory for the analysis thread (see ./isolated-analysis.ts). */
  budgets: AnalysisBudgets;
  /** Changed model files (VNX-DESER-004) larger than this are listed as not analysed. */
  maxModelFileBytes?: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFiles: 300,
  maxImportedFiles: 200,
  maxContextManifests: 100,
  blobs: { ...DEFAULT_BLOB_LIMITS, maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  budgets: DEFAULT_BUDGETS,
  maxModelFileBytes: DEFAULT_MAX_MODEL_FILE_BYTES,
};

export interface AnalysisTarget {
  repo: RepoRef;
  defaultBranch: string;
  headSha: string;
  files: readonly ChangedFile[];
  /** GitHub listed no more than its cap: files beyond it are unknown. */
  listingCapped: boolean;
  /** Resolves the commit patches are relative to; called only when a patch is missing. */
  mergeBase: () => Promise<string>;
  /** Extra selections for the first GraphQL query (review threads for pull requests). */
  extraSelection?: ExtraSelection;
  /** Told the configuration as soon as it is known, so a later failure honours its `on_error`. */
  onConfig?: (config: Config) => void;
}

export interface Analysis {
  result: AnalysisResult;
  loaded: LoadedConfig;
  /** GitHub listed no more than its cap (3,000 files): later files are unknown, so not analysed. */
  listingCapped: boolean;
  configEditedInPr: boolean;
  previewProblems: SourcedProblem[];
  skipped: SkippedFile[];
  changedFiles: number;
  analysedFiles: number;
  hunks: Map<string, HunkMap>;
  texts: Map<string, string>;
  /** Data of the first GraphQL query, for the caller's extra selections. */
  extra: Record<string, unknown>;
}

export async function analyzeChange(
  octokit: GitHub,
  target: AnalysisTarget,
  limits: Limits,
  log: Logger,
): Promise<Analysis> {
  const skipped: SkippedFile[] = [];
  const candidates: ChangedFile[] = [];
  // VNX-DESER-004: model and data files (by name) are read as bytes, apart from the Python engine.
  const modelFiles: string[] = [];
  for (const file of target.files) {
    if (file.status === "removed") continue;
    const model = !isAnalysedFile(file.path) && isModelFileName(file.path);
    if (!model && !isAnalysedFile(file.path)) continue;
    // The file policy's directories, by name here; a virtual environment by its pyvenv.cfg once the tree is read.
    const pruned = prunedPathReason(file.path);
    if (pruned?.silent === false)
      skipped.push({ path: file.path, reason: `in a ${pruned.reason} directory` });
    else if (pruned) continue;
    else if (model) modelFiles.push(file.path);
    else candidates.push(file);
  }
  const analysable = candidates.slice(0, limits.maxFiles);
  for (const file of candidates.slice(limits.maxFiles)) {
    skipped.push({
      path: file.path,
      reason: `beyond the limit of ${limits.maxFiles} files per run`,
      unanalysed: true,
    });
  }

  // The tree: import resolution, unchanged manifests (version gates), sizes.
  const needTree = analysable.length > 0;
  // A pure rename has no patch and nothing added; only files with additions need the base text.
  const patchless = analysable.filter(
    (f) => f.patch === undefined && f.status !== "added" && f.additions > 0,
  );
  const [tree, mergeBase] = await Promise.all([
    needTree ? fetchTree(octokit, target.repo, target.headSha) : undefined,
    patchless.length > 0 ? target.mergeBase() : undefined,
  ]);
  const sizeOf = (path: string) => tree?.blobs.get(path)?.size;
  // The config's excludes are known only after the first query; the tree's files are chosen before it and
  // excludes applied to what comes back (an excluded manifest fetched is dropped, never read).
  const unfiltered = new RepositoryFiles(tree, []);
  const manifestPaths = unfiltered
    .contextManifests(new Set(analysable.map((file) => file.path)))
    .slice(0, limits.maxContextManifests ?? DEFAULT_LIMITS.maxContextManifests);

  const requests: BlobRequest[] = [];
  for (const file of analysable) {
    requests.push(
      withSize({ key: `head:${file.path}`, ref: target.headSha, path: file.path }, sizeOf(file.path)),
    );
  }
  for (const path of manifestPaths) {
    requests.push(withSize({ key: `context:${path}`, ref: target.headSha, path }, sizeOf(path)));
  }
  if (mergeBase) {
    for (const file of patchless) {
      const basePath = file.previousPath ?? file.path;
      requests.push({ key: `base:${file.path}`, ref: mergeBase, path: basePath });
    }
  }
  const extra = mergeSelections(configSelection(target.defaultBranch, target.headSha), target.extraSelection);
  const first = await fetchBlobs(octokit, target.repo, requests, limits.blobs, extra);

  const texts = readConfigTexts(first.extra);
  // The trusted layers decide the run; the PR's copy is only validated, as a note (never throws).
  const loaded = layerConfig(texts, target.repo.owner, target.repo.repo, KNOWN_RULES);
  target.onConfig?.(loaded.config);
  const configEditedInPr = target.files.some((f) => f.path === CONFIG_PATH);
  const preview =
    configEditedInPr && texts.pullRequest !== undefined
      ? previewProblems(texts.pullRequest, target.repo.owner, target.repo.repo, KNOWN_RULES)
      : [];
  const repository = new RepositoryFiles(tree, loaded.config.exclude.map(compileExclude));

  const sources: SourceFile[] = [];
  const hunks = new Map<string, HunkMap>();
  const changedLines = new Map<string, LineRanges>();
  const contents = new Map<string, string>();
  for (const file of analysable) {
    const pruned = repository.pruned(file.path);
    if (pruned) {
      if (!pruned.silent) skipped.push({ path: file.path, reason: `in a ${pruned.reason} directory` });
      continue;
    }
    const excludedBy = repository.excludedBy(file.path);
    if (excludedBy) {
      skipped.push({ path: file.path, reason: `excluded by config pattern '${excludedBy}'` });
      continue;
    }
    const blob = first.blobs.get(`head:${file.path}`) ?? { kind: "missing" };
    if (blob.kind !== "text") {
      skipped.push({
        path: file.path,
        reason: describeUnreadable(blob, limits.blobs.maxFileBytes),
        unanalysed: true,
      });
      continue;
    }
    let map: HunkMap;
    if (file.patch !== undefined) map = parsePatch(file.patch);
    else if (file.status === "added") map = { added: addedLines("", blob.text), hunkOf: new Map() };
    else if (file.additions === 0) map = EMPTY_HUNK_MAP;
    else {
      const base = first.blobs.get(`base:${file.path}`);
      // Without the base text every line counts as changed: over-reporting beats silently missing findings.
      map = { ...EMPTY_HUNK_MAP, added: addedLines(base?.kind === "text" ? base.text : "", blob.text) };
    }
    sources.push({ path: file.path, text: blob.text });
    contents.set(file.path, blob.text);
    hunks.set(file.path, map);
    changedLines.set(file.path, map.added);
  }

  const imported = await fetchImportedModules(octokit, target, repository, sources, limits);
  for (const file of imported) {
    sources.push(file);
    contents.set(file.path, file.text);
    // Context only: an unchanged module reports nothing unless a trace through changed lines reaches it.
    changedLines.set(file.path, []);
  }
  // Unchanged manifests decide version gates as they do for `rce-guard scan`. Left out of `changedLines`,
  // so nothing is reported on them (their findings and diagnostics belong to the change that touches them).
  for (const path of manifestPaths) {
    const blob = first.blobs.get(`context:${path}`);
    if (blob?.kind === "text" && repository.excludedBy(path) === undefined)
      sources.push({ path, text: blob.text });
  }
  if (tree?.truncated) log.warn("repository tree truncated by GitHub; import resolution is partial");

  // Off this thread, within the budgets: this thread keeps answering webhooks and other jobs go on.
  const analysed = await analyzeIsolated(
    sources,
    {
      changedLines,
      config: loaded.config,
      maxFileBytes: limits.blobs.maxFileBytes,
      projectPaths: repository.pythonPaths,
    },
    limits.budgets,
  );

  const models: string[] = [];
  for (const path of modelFiles) {
    const excludedBy = repository.excludedBy(path);
    if (excludedBy) skipped.push({ path, reason: `excluded by config pattern '${excludedBy}'` });
    else models.push(path);
  }
  const scannedModels = await scanChangedModelFiles(
    octokit,
    target.repo,
    target.headSha,
    models,
    loaded.config,
    limits.maxModelFileBytes ?? DEFAULT_MAX_MODEL_FILE_BYTES,
    log,
  );
  const result =
    models.length === 0
      ? analysed
      : {
          ...analysed,
          findings: [...analysed.findings, ...scannedModels.findings],
          diagnostics: [...analysed.diagnostics, ...scannedModels.diagnostics],
        };
  return {
    result,
    loaded,
    listingCapped: target.listingCapped,
    configEditedInPr,
    previewProblems: preview,
    skipped,
    changedFiles: target.files.length,
    analysedFiles: hunks.size + scannedModels.scanned,
    hunks,
    texts: contents,
    extra: first.extra,
  };
}

async function fetchImportedModules(
  octokit: GitHub,
  target: AnalysisTarget,
  repository: RepositoryFiles,
  sources: readonly SourceFile[],
  limits: Limits,
): Promise<SourceFile[]> {
  const wanted = repository.importedModules(sources).filter((path) => {
    const size = repository.sizeOf(path) ?? 0;
    return size <= limits.blobs.maxFileBytes;
  });
  if (wanted.length === 0) return [];
  const requests = wanted
    .slice(0, limits.maxImportedFiles)
    .map((path) => withSize({ key: path, ref: target.headSha, path }, repository.sizeOf(path)));
  const { blobs } = await fetchBlobs(octokit, target.repo, requests, limits.blobs);
  const files: SourceFile[] = [];
  for (const request of requests) {
    const blob = blobs.get(request.key);
    if (blob?.kind === "text") files.push({ path: request.path, text: blob.text });
  }
  return files;
}

function withSize(request: BlobRequest, size: number | undefined): BlobRequest {
  return size === undefined ? request : { ...request, sizeHint: size };
}

function describeUnreadable(blob: BlobResult, maxBytes: number): string {
  switch (blob.kind) {
    case "binary":
      return "binary file";
    case "too-large":
      return `over the size limit (${formatBytes(blob.byteSize)} > ${formatBytes(maxBytes)})`;
    default:
      return "not found at the head commit";
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}

export function mergeSelections(...selections: (ExtraSelection | undefined)[]): ExtraSelection {
  const present = selections.filter((s): s is ExtraSelection => s !== undefined);
  return {
    inRepository: present.map((s) => s.inRepository ?? "").join("\n"),
    topLevel: present.map((s) => s.topLevel ?? "").join("\n"),
    declarations: present.flatMap((s) => s.declarations ?? []),
    variables: Object.assign({}, ...present.map((s) => s.variables ?? {})),
    optionalRoots: present.flatMap((s) => s.optionalRoots ?? []),
  };
}
