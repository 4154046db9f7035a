// VNX-DESER-004 in the App: changed files that look like model or data files (by name, as the CLI decides)
// are read as bytes at the head commit and streamed through src/model-files/, never loaded. Their findings
// and the files that could not be read (Git LFS pointers, too large, unreadable) come back as the engine's
// Findings and Diagnostics, so the check run reports them like any other.
import type { Logger } from "pino";
import { modelFileCode } from "../../rules/VNX-DESER-004/rule.js";
import type { Config } from "../config.js";
import type { Diagnostic, Finding } from "../engine/index.js";
import { modelFileReport } from "../model-files/findings.js";
import { scanModelStream } from "../model-files/scan.js";
import { isLfsPointer } from "../model-files/select.js";
import { bundledModelFileGlobals } from "../models.js";
import { fetchBlobBytes, fetchBlobInfo, type RepoRef } from "../github/contents.js";
import type { GitHub } from "../github/octokit.js";

export const MODEL_FILE_RULE = modelFileCode.meta.id;

export interface ModelFileScan {
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** Files read and scanned (whether or not they had findings). */
  scanned: number;
}

export async function scanChangedModelFiles(
  octokit: GitHub,
  repo: RepoRef,
  headSha: string,
  paths: readonly string[],
  config: Readonly<Config>,
  maxBytes: number,
  log: Logger,
): Promise<ModelFileScan> {
  const out: ModelFileScan = { findings: [], diagnostics: [], scanned: 0 };
  if (paths.length === 0 || config.rules[MODEL_FILE_RULE]?.enabled === false) return out;
  const notAnalysed = (path: string, why: string) =>
    out.diagnostics.push({
      path,
      severity: "warning",
      message: `model file not analysed: ${why}`,
      incomplete: "file",
    });
  const info = await fetchBlobInfo(
    octokit,
    repo,
    paths.map((path) => ({ key: path, ref: headSha, path })),
  );
  const severity = config.rules[MODEL_FILE_RULE]?.severity;
  for (const path of paths) {
    const blob = info.get(path);
    if (!blob) {
      notAnalysed(path, "not found at the head commit");
      continue;
    }
    if (blob.byteSize > maxBytes) {
      notAnalysed(path, `${blob.byteSize} bytes is over the ${maxBytes}-byte limit for model files`);
      continue;
    }
    try {
      const bytes = await fetchBlobBytes(octokit, repo, blob.oid);
      if (isLfsPointer(bytes.subarray(0, 64))) {
        notAnalysed(path, "stored in Git LFS, not analysed (the repository holds a pointer, not the object)");
        continue;
      }
      const result = await scanModelStream(yieldingChunks(bytes), {
        rules: bundledModelFileGlobals(),
        name: path,
      });
      out.scanned++;
      const report = modelFileReport(path, result);
      out.findings.push(...report.findings.map((f) => (severity ? { ...f, severity } : f)));
      out.diagnostics.push(...report.diagnostics);
    } catch (error) {
      log.warn(
        { path, error: error instanceof Error ? error.message : String(error) },
        "model file unreadable",
      );
      notAnalysed(path, `cannot read it (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return out;
}

/** The bytes in 1 MiB chunks, letting the event loop run between them (webhooks keep being answered). */
async function* yieldingChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 1 << 20) {
    yield bytes.subarray(i, i + (1 << 20));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
