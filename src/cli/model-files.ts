// VNX-DESER-004 in the CLI: model and data files found in the scanned paths (by name or by their first
// bytes) are streamed from disk through src/model-files/, never loaded. With --diff, only files that
// differ from the merge base (or are untracked) are reported.
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { modelFileReport } from "../model-files/findings.js";
import {
  isLfsPointer,
  isModelFileName,
  looksLikeModelFile,
  SNIFF_PREFIX_BYTES,
} from "../model-files/select.js";
import { scanModelStream } from "../model-files/scan.js";
import { bundledModelFileGlobals } from "../models.js";
import type { Diagnostic, Finding } from "../engine/index.js";

export interface ModelFileCandidate {
  absolute: string;
  relative: string;
  size: number;
}

/** Whether a file the walk met (not Python, not a manifest) is a model file: its name, else its first bytes. */
export async function isModelFileCandidate(absolute: string, relative: string): Promise<boolean> {
  if (isModelFileName(relative)) return true;
  const prefix = await readPrefix(absolute).catch(() => undefined);
  return prefix !== undefined && looksLikeModelFile(prefix);
}

async function readPrefix(absolute: string): Promise<Uint8Array> {
  const handle = await open(absolute, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_PREFIX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_PREFIX_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function scanModelFiles(
  candidates: readonly ModelFileCandidate[],
  options: { maxBytes: number; changed?: ReadonlySet<string> },
): Promise<{ findings: Finding[]; diagnostics: Diagnostic[]; scanned: number }> {
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  let scanned = 0;
  for (const file of candidates) {
    if (options.changed && !options.changed.has(file.relative)) continue;
    if (file.size > options.maxBytes) {
      diagnostics.push({
        path: file.relative,
        severity: "warning",
        message: `model file not analysed: ${file.size} bytes is over the ${options.maxBytes}-byte limit for model files`,
        incomplete: "file",
      });
      continue;
    }
    try {
      const prefix = await readPrefix(file.absolute);
      if (isLfsPointer(prefix)) {
        diagnostics.push({
          path: file.relative,
          severity: "warning",
          message: "model file stored in Git LFS, not analysed (the pointer is checked out, not the object)",
          incomplete: "file",
        });
        continue;
      }
      const result = await scanModelStream(createReadStream(file.absolute, { highWaterMark: 1 << 20 }), {
        rules: bundledModelFileGlobals(),
        name: file.relative,
      });
      scanned++;
      const report = modelFileReport(file.relative, result);
      findings.push(...report.findings);
      diagnostics.push(...report.diagnostics);
    } catch (error) {
      diagnostics.push({
        path: file.relative,
        severity: "warning",
        message: `model file not analysed: cannot read it (${error instanceof Error ? error.message : String(error)})`,
        incomplete: "file",
      });
    }
  }
  return { findings, diagnostics, scanned };
}

/** Root-relative paths that differ from `mergeBase` in the work tree (binary files included). */
export function filesChangedSince(root: string, mergeBase: string): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [
        "-c",
        "core.quotePath=false",
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--relative",
        mergeBase,
        "--",
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout) =>
        error ? reject(error) : resolve(new Set(stdout.split("\0").filter((p) => p !== ""))),
    );
  });
}
