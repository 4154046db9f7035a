// Which files a scan reads, walking the disk by the engine's file policy (file-policy.ts: Python sources
// and dependency manifests; hidden directories walked, installed code and tool directories pruned). Every file that would have been analysed but was not (binary, too large,
// excluded, unreadable) comes back as a diagnostic so nothing disappears from a report unannounced; those
// the analysis should have covered (binary, too large, unreadable) are marked `incomplete`, so the scan
// cannot pass as clean. Symbolic links are followed only to files inside the scan root.
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import {
  compileExclude,
  type Diagnostic,
  type ExcludeMatcher,
  excludingPattern,
  isAnalysedFile,
  prunedDirectory,
  type SourceFile,
  VIRTUAL_ENVIRONMENT_MARKER,
} from "../engine/index.js";
import { isModelFileCandidate, type ModelFileCandidate } from "./model-files.js";

const IGNORED_NOTE = "ignored by .gitignore (--no-ignore scans it)";

export interface DiscoverOptions {
  /** Absolute directory that relative paths are computed from. */
  root: string;
  /** The root with every symbolic link resolved: links whose target is not under it are not followed. */
  realRoot: string;
  /** Absolute paths the user asked for (files or directories). */
  paths: readonly string[];
  exclude: readonly string[];
  /** Root-relative paths .gitignore leaves out (directories end in `/`); none when undefined. */
  ignored?: ReadonlySet<string>;
  maxFileSize: number;
  /**
   * A directory above the named paths (the project root) whose other files are read as context: what
   * the named files import, and what imports them, so flows across files are followed. Context files
   * bring no diagnostics and no model files; a file that cannot be read there is left out.
   */
  context?: string;
  onProgress?: (event: DiscoverProgress) => void;
}

export type DiscoverProgress =
  | { phase: "walk"; found: number }
  | { phase: "read"; done: number; total: number };

export interface Discovered {
  files: SourceFile[];
  /** Files of the project outside the named paths (`context`): analysed, never reported on. */
  contextFiles: SourceFile[];
  diagnostics: Diagnostic[];
  skippedFiles: number;
  /** VNX-DESER-004: model and data files (by name or first bytes), scanned as bytes by cli/model-files.ts. */
  modelFiles: ModelFileCandidate[];
}

interface Candidate {
  absolute: string;
  relative: string;
  size: number;
}

export async function discoverFiles(options: DiscoverOptions): Promise<Discovered> {
  const diagnostics: Diagnostic[] = [];
  const candidates = new Map<string, Candidate>();
  let skippedFiles = 0;
  const skipFile = (
    path: string,
    severity: Diagnostic["severity"],
    message: string,
    incomplete?: Diagnostic["incomplete"],
  ) => {
    if (inContext) return;
    skippedFiles++;
    diagnostics.push({ path, severity, message, ...(incomplete ? { incomplete } : {}) });
  };
  const matchers = options.exclude.map(compileExclude);
  // The context walk (after the named paths) collects files quietly: no notes, no model files.
  let inContext = false;
  const named = new Set(options.paths);
  const contextCandidates = new Map<string, Candidate>();
  const note = (diagnostic: Diagnostic) => {
    if (!inContext) diagnostics.push(diagnostic);
  };
  const toRelative = (absolute: string) => relative(options.root, absolute).split(sep).join("/");
  const modelFiles: ModelFileCandidate[] = [];
  const addModelFile = async (absolute: string, relativePath: string): Promise<boolean> => {
    if (inContext) return false;
    if (!(await isModelFileCandidate(absolute, relativePath))) return false;
    const info = await stat(absolute).catch(() => undefined);
    if (info) modelFiles.push({ absolute, relative: relativePath, size: info.size });
    return true;
  };

  const addCandidate = (absolute: string, info: Stats) => {
    const relativePath = toRelative(absolute);
    if (candidates.has(relativePath) || contextCandidates.has(relativePath)) return;
    if (inContext) {
      if (info.size <= options.maxFileSize)
        contextCandidates.set(relativePath, { absolute, relative: relativePath, size: info.size });
      return;
    }
    if (info.size > options.maxFileSize) {
      skipFile(
        relativePath,
        "warning",
        `not analysed: ${formatBytes(info.size)} is over the ${formatBytes(options.maxFileSize)} size limit (--max-file-size)`,
        "file",
      );
      return;
    }
    candidates.set(relativePath, { absolute, relative: relativePath, size: info.size });
    options.onProgress?.({ phase: "walk", found: candidates.size });
  };

  const walk = async (directory: string, active: readonly ExcludeMatcher[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      // What it holds is unknown, so the scan cannot claim to have covered it.
      note({
        path: `${toRelative(directory)}/`,
        severity: "warning",
        message: `not analysed: cannot list the directory (${reason(error)})`,
        incomplete: "file",
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A virtual environment, whatever its name (`env/`, `py311/`): installed code, not the project's.
    if (
      directory !== options.root &&
      !named.has(directory) &&
      entries.some((entry) => entry.name === VIRTUAL_ENVIRONMENT_MARKER && !entry.isDirectory())
    ) {
      note({
        path: `${toRelative(directory)}/`,
        severity: "note",
        message: "directory skipped (virtual environment)",
      });
      return;
    }
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      const relativePath = toRelative(absolute);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(absolute).catch(() => undefined);
        const resolved = target && (await realpath(absolute).catch(() => undefined));
        if (!target || !resolved) {
          if (isAnalysedFile(relativePath))
            skipFile(relativePath, "warning", "skipped: broken symbolic link");
          continue;
        }
        if (!isInside(options.realRoot, resolved)) {
          // A link can point anywhere on the machine (`/etc/passwd`, a secrets file): what it points at is
          // not part of the project, and reading it could put that content in a report.
          if (target.isDirectory() || isAnalysedFile(relativePath)) {
            note({
              path: target.isDirectory() ? `${relativePath}/` : relativePath,
              severity: "warning",
              message: "not followed: symbolic link to a path outside the scan root",
            });
          }
          continue;
        }
        if (target.isDirectory()) {
          // Following directory links risks cycles and scanning things outside the project.
          note({
            path: `${relativePath}/`,
            severity: "note",
            message: "symbolic link to a directory not followed",
          });
          continue;
        }
        isDirectory = false;
        isFile = target.isFile();
      }
      if (isDirectory) {
        const pruned = prunedDirectory(entry.name);
        if (pruned?.silent) continue;
        if (pruned) {
          note({
            path: `${relativePath}/`,
            severity: "note",
            message: `directory skipped (${pruned.reason})`,
          });
          continue;
        }
        // Walked already as a named path (the context walk comes after the named paths).
        if (inContext && named.has(absolute)) continue;
        if (options.ignored?.has(`${relativePath}/`)) {
          note({ path: `${relativePath}/`, severity: "note", message: IGNORED_NOTE });
          continue;
        }
        const excludedBy = active.find((matcher) => matcher.matches(relativePath, true));
        if (excludedBy) {
          note({
            path: `${relativePath}/`,
            severity: "note",
            message: `excluded by config pattern '${excludedBy.pattern}'`,
          });
          continue;
        }
        await walk(absolute, active);
      } else if (isFile && isAnalysedFile(relativePath)) {
        if (options.ignored?.has(relativePath)) {
          skipFile(relativePath, "note", IGNORED_NOTE);
          continue;
        }
        const excludedBy = active.find((matcher) => matcher.matches(relativePath, false));
        if (excludedBy) {
          skipFile(relativePath, "note", `excluded by config pattern '${excludedBy.pattern}'`);
          continue;
        }
        const info = await stat(absolute).catch(() => undefined);
        if (info) addCandidate(absolute, info);
      } else if (isFile && !active.some((matcher) => matcher.matches(relativePath, false))) {
        await addModelFile(absolute, relativePath);
      }
    }
  };

  // Named paths were checked by the caller (they exist, are readable, and resolve inside the root).
  for (const path of options.paths) {
    const info = await lstat(path).then(
      (link) => (link.isSymbolicLink() ? stat(path) : link),
      () => undefined,
    );
    if (!info) continue;
    const relativePath = toRelative(path);
    // A path named on the command line is scanned even when an exclude pattern covers it: asking for it
    // explicitly is the stronger statement. Patterns that only cover parts of it still apply below it.
    const active = matchers.filter(
      (matcher) => excludingPattern([matcher], relativePath, info.isDirectory()) === undefined,
    );
    if (info.isDirectory()) await walk(path, active);
    else if (isAnalysedFile(relativePath) || !(await addModelFile(path, relativePath)))
      addCandidate(path, info);
  }
  if (options.context !== undefined) {
    inContext = true;
    await walk(options.context, matchers);
    inContext = false;
  }

  const files: SourceFile[] = [];
  const ordered = [...candidates.values()].sort((a, b) =>
    a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0,
  );
  let done = 0;
  for (const candidate of ordered) {
    const outcome = await readSource(candidate);
    if ("text" in outcome) {
      files.push({ path: candidate.relative, text: outcome.text });
      if (outcome.warning)
        diagnostics.push({ path: candidate.relative, severity: "warning", message: outcome.warning });
    } else skipFile(candidate.relative, "warning", outcome.skipped, "file");
    options.onProgress?.({ phase: "read", done: ++done, total: ordered.length });
  }
  const contextFiles: SourceFile[] = [];
  for (const candidate of [...contextCandidates.values()].sort((a, b) =>
    a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0,
  )) {
    const outcome = await readSource(candidate);
    if ("text" in outcome) contextFiles.push({ path: candidate.relative, text: outcome.text });
  }
  modelFiles.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return { files, contextFiles, diagnostics, skippedFiles, modelFiles };
}

type ReadOutcome = { text: string; warning?: string } | { skipped: string };

async function readSource(candidate: Candidate): Promise<ReadOutcome> {
  let bytes: Buffer;
  try {
    bytes = await readFile(candidate.absolute);
  } catch (error) {
    return { skipped: `not analysed: cannot read the file (${reason(error)})` };
  }
  if (bytes.includes(0)) return { skipped: "not analysed: binary file (contains a NUL byte)" };
  try {
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch (error) {
      // Invalid UTF-8 is a TypeError; anything else (a string too long to create) is not recoverable here.
      if (!(error instanceof TypeError)) throw error;
      // Python 2 era files in Latin-1 still parse well enough to find sinks; positions stay line-accurate.
      return {
        text: new TextDecoder("utf-8").decode(bytes),
        warning: "not valid UTF-8; invalid bytes were replaced before analysis",
      };
    }
  } catch (error) {
    // Past what one JavaScript string can hold (about 512 MiB): only a very large --max-file-size gets here.
    return { skipped: `not analysed: cannot decode the file as text (${reason(error)})` };
  }
}

/** Whether `path` is `directory` or under it (both absolute). */
export function isInside(directory: string, path: string): boolean {
  const fromDirectory = relative(directory, path);
  return (
    fromDirectory === "" ||
    (!fromDirectory.startsWith(`..${sep}`) && fromDirectory !== ".." && !isAbsolute(fromDirectory))
  );
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "no such file or directory";
  return error instanceof Error ? error.message : String(error);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trimZero(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trimZero(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trimZero(value: number): string {
  return value.toFixed(1).replace(/\.0$/, "");
}
