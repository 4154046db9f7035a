// Summaries of findings (with their digests), merging them, and the printed report.
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { type AnalysisResult, type Finding, treeSource } from "../../src/engine/index.js";
import { type AnalysisSummary, type FindingBrief, LLM_RULE, MB, type PhaseResult } from "./measure.js";
import type { Options, Phase } from "./options.js";

export function summarise(
  results: readonly AnalysisResult[],
  texts: ReadonlyMap<string, string>,
): AnalysisSummary {
  const byRule: Record<string, number> = {};
  const llm002: FindingBrief[] = [];
  let findings = 0;
  let suppressed = 0;
  let errors = 0;
  let warnings = 0;
  let parseErrors = 0;
  const internalErrors: string[] = [];
  for (const result of results) {
    findings += result.findings.length;
    suppressed += result.suppressed.length;
    parseErrors += result.stats.parseErrors;
    for (const finding of result.findings) {
      byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
      if (finding.ruleId === LLM_RULE) llm002.push(brief(finding, texts));
    }
    for (const d of result.diagnostics) {
      if (d.severity === "error") errors++;
      else if (d.severity === "warning") warnings++;
      if (d.message.startsWith("internal error")) internalErrors.push(`${d.path}: ${d.message}`);
    }
  }
  const keys = results
    .flatMap((r) => r.findings)
    .map(
      (f) =>
        `${f.ruleId} ${f.location.path}:${f.location.startLine}:${f.location.startColumn} ${f.severity} ${f.fingerprint}`,
    )
    .sort();
  return {
    findings,
    suppressed,
    byRule,
    llm002,
    diagnostics: { errors, warnings, internalErrors },
    parseErrors,
    interpreted: {
      files: results.reduce((n, r) => n + r.stats.interpreted, 0),
      bytes: results.reduce((n, r) => n + r.stats.interpretedBytes, 0),
    },
    digest: createHash("sha256").update(keys.join("\n")).digest("hex").slice(0, 16),
  };
}

export function brief(finding: Finding, texts: ReadonlyMap<string, string>): FindingBrief {
  const line = finding.location.startLine;
  const code = texts.get(finding.location.path)?.split("\n")[line - 1]?.trim() ?? "";
  return {
    ruleId: finding.ruleId,
    path: finding.location.path,
    line,
    callee: finding.sinkCallee,
    provenance: finding.provenance,
    code: code.length > 160 ? `${code.slice(0, 157)}...` : code,
  };
}

export function mergeSummaries(all: readonly AnalysisSummary[]): AnalysisSummary {
  const out: AnalysisSummary = {
    findings: 0,
    suppressed: 0,
    byRule: {},
    llm002: [],
    diagnostics: { errors: 0, warnings: 0, internalErrors: [] },
    parseErrors: 0,
  };
  for (const s of all) {
    out.findings += s.findings;
    out.suppressed += s.suppressed;
    out.parseErrors += s.parseErrors;
    if (s.interpreted) {
      out.interpreted ??= { files: 0, bytes: 0 };
      out.interpreted.files += s.interpreted.files;
      out.interpreted.bytes += s.interpreted.bytes;
    }
    for (const [rule, n] of Object.entries(s.byRule)) out.byRule[rule] = (out.byRule[rule] ?? 0) + n;
    out.llm002.push(...s.llm002);
    out.diagnostics.errors += s.diagnostics.errors;
    out.diagnostics.warnings += s.diagnostics.warnings;
    out.diagnostics.internalErrors.push(...s.diagnostics.internalErrors);
  }
  out.llm002.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return out;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);
export const rate = (r: PhaseResult) => ({ mbps: r.bytes / MB / r.seconds, fps: r.files / r.seconds });

export function printReport(
  corpus: { root: string; files: number; bytes: number; skippedLarge: number },
  results: PhaseResult[],
  options: Options,
) {
  const by = new Map(results.map((r) => [r.phase, r]));
  const log = console.log;
  log(`corpus: ${corpus.root}  (python3 stdlib, site-packages excluded)`);
  log(
    `        ${corpus.files} .py files, ${fmt(corpus.bytes / MB)} MB` +
      (corpus.skippedLarge ? `, ${corpus.skippedLarge} skipped (> 2 MiB)` : "") +
      (options.limit !== undefined ? `  [--limit ${options.limit}]` : ""),
  );
  log(
    `machine: ${availableParallelism()} cores available, node ${process.version}; trees through the ${treeSource}`,
  );
  log("");
  const labels: Record<Phase, string> = {
    parse: "tree-sitter parse only (1 thread)",
    copy: "engine parsePython (parse + tree copy)",
    chunks: "analysis, per package chunk (1 thread)",
    all: "analysis, all files in one call (1 thread)",
    threads: `analysis, all files, +${Math.min(3, availableParallelism() - 1)} parsing thread(s)`,
    workers: `analysis, ${by.get("workers")?.workers?.length ?? options.workers} worker threads`,
    bandit: "bandit -q -f json (same files)",
  };
  log(
    `${"phase".padEnd(46)}${"wall s".padStart(8)}${"MB/s".padStart(7)}${"files/s".padStart(8)}` +
      `${"CPU s".padStart(8)}${"MB/CPU-s".padStart(9)}${"peak RSS".padStart(10)}`,
  );
  for (const r of results) {
    if (r.phase === "bandit" && r.seconds === 0) {
      log(`${labels.bandit.padEnd(46)}  skipped: ${r.note}`);
      continue;
    }
    const { mbps, fps } = rate(r);
    log(
      `${labels[r.phase].padEnd(46)}${fmt(r.seconds).padStart(8)}${fmt(mbps).padStart(7)}${fmt(fps, 0).padStart(8)}` +
        `${fmt(r.cpuSeconds).padStart(8)}${fmt(r.bytes / MB / r.cpuSeconds).padStart(9)}${`${fmt(r.maxRssMB, 0)} MB`.padStart(10)}`,
    );
  }
  log("");
  const parse = by.get("parse");
  const ratios: string[] = [];
  const ratio = (a: PhaseResult, b: PhaseResult) =>
    `${fmt(a.seconds / b.seconds)}x wall, ${fmt(a.cpuSeconds / b.cpuSeconds)}x CPU`;
  for (const phase of ["copy", "chunks", "all", "workers"] as const) {
    const r = by.get(phase);
    if (parse && r) ratios.push(`${phase} / parse-only: ${ratio(r, parse)}`);
  }
  const chunks = by.get("chunks");
  const workers = by.get("workers");
  const all = by.get("all");
  if (chunks && all) ratios.push(`all-in-one / chunks: ${ratio(all, chunks)}`);
  const threads = by.get("threads");
  if (all && threads) {
    const same = threads.summary?.digest === all.summary?.digest;
    ratios.push(
      `parsing on other threads, speed-up over one thread: ${fmt(all.seconds / threads.seconds)}x wall; ` +
        `findings ${same ? "identical" : "DIFFERENT"} (digest ${threads.summary?.digest})`,
    );
  }
  if (chunks && workers)
    ratios.push(`worker speed-up over 1-thread chunks: ${fmt(chunks.seconds / workers.seconds)}x wall`);
  const bandit = by.get("bandit");
  if (bandit && bandit.seconds > 0) {
    for (const phase of ["chunks", "all", "workers"] as const) {
      const r = by.get(phase);
      if (r) ratios.push(`bandit / ${phase}: ${ratio(bandit, r)}`);
    }
  }
  for (const line of ratios) log(`  ${line}`);
  if (chunks?.floor) {
    const { floor } = chunks;
    log(
      `  chunks / tree-sitter alone, interleaved chunk by chunk: ${fmt(chunks.seconds / floor.seconds)}x wall, ` +
        `${fmt(chunks.cpuSeconds / floor.cpuSeconds)}x CPU (tree-sitter ${fmt(chunks.bytes / MB / floor.cpuSeconds)} MB per CPU-second here)`,
    );
  }
  const target = chunks ?? all;
  if (target) {
    const mbps = target.bytes / MB / target.cpuSeconds;
    log(
      `  target >= 3 MB/s on one core: ${mbps >= 3 ? "MET" : "NOT MET"} (${fmt(mbps)} MB per CPU-second, ${target.phase}; ` +
        `wall ${fmt(rate(target).mbps)} MB/s)`,
    );
  }
  if (chunks?.floor) {
    // The issue's figures: tree-sitter alone at 7 MB/s, the analysis at >= 3 MB/s. On a machine where
    // tree-sitter is slower, the same target is the analysis within 7/3 of tree-sitter's time.
    const allowed = 7 / 3;
    const measured = chunks.cpuSeconds / chunks.floor.cpuSeconds;
    log(
      `  the same target relative to tree-sitter (analysis <= ${fmt(allowed)}x its CPU time, interleaved): ` +
        `${measured <= allowed ? "MET" : "NOT MET"} (${fmt(measured)}x)`,
    );
  }
  if (workers?.workers) {
    log("");
    log(
      `workers: start-up ${fmt(workers.startupSeconds ?? 0)} s (tsx register + engine import), ${workers.chunks} chunks`,
    );
    for (const w of workers.workers) {
      log(
        `  worker ${w.id}: ${w.chunks} chunks, ${w.files} files, ${fmt(w.bytes / MB)} MB, busy ${fmt(w.busySeconds)} s, ` +
          `peak heap used ${fmt(w.peakHeapUsedMB, 0)} MB (own isolate), process maxRSS at its end ${fmt(w.maxRssMB, 0)} MB`,
      );
    }
  }
  for (const r of results) {
    if (!r.summary) continue;
    const s = r.summary;
    log("");
    log(
      `${r.phase}: ${s.findings} findings (+${s.suppressed} suppressed), ${s.parseErrors} files with syntax errors, ` +
        `${s.diagnostics.internalErrors.length} internal errors`,
    );
    if (s.interpreted) {
      log(
        `  parsed and interpreted: ${s.interpreted.files} files, ${fmt(s.interpreted.bytes / MB)} MB ` +
          `(the relevance filter skipped the rest)`,
      );
    }
    const rules = Object.entries(s.byRule).sort((a, b) => b[1] - a[1]);
    log(`  by rule: ${rules.length ? rules.map(([k, v]) => `${k} ${v}`).join(", ") : "(none)"}`);
    for (const e of s.diagnostics.internalErrors.slice(0, 5)) log(`  internal error: ${e}`);
    if (s.llm002.length === 0) log(`  ${LLM_RULE} on the standard library: 0 (OK — it calls no LLM)`);
    else {
      log(
        `  ${LLM_RULE} on the standard library: ${s.llm002.length} — FALSE POSITIVES (the stdlib calls no LLM):`,
      );
      for (const f of s.llm002.slice(0, 10))
        log(`    ${f.path}:${f.line} [${f.provenance}] ${f.callee}: ${f.code}`);
    }
  }
  if (chunks?.heap && chunks.heap.length > 0) {
    log("");
    log("memory (chunks phase, after each chunk and a full gc):");
    const h = chunks.heap;
    const picks = [
      ...new Set([
        0,
        Math.floor(h.length / 4),
        Math.floor(h.length / 2),
        Math.floor((3 * h.length) / 4),
        h.length - 1,
      ]),
    ];
    for (const i of picks) {
      const s = h[i]!;
      log(
        `  after chunk ${String(i + 1).padStart(3)}/${h.length} (${s.files} files): heap used ${fmt(s.heapUsedMB, 1)} MB, ` +
          `external ${fmt(s.externalMB, 1)} MB, rss ${fmt(s.rssMB, 0)} MB, live trees ${s.liveTrees}`,
      );
    }
    const maxHeap = Math.max(...h.map((s) => s.heapUsedMB));
    const maxTrees = Math.max(...h.map((s) => s.liveTrees));
    log(`  max heap used between chunks ${fmt(maxHeap, 1)} MB; max live trees between chunks ${maxTrees}`);
  }
  if (all?.liveTreesAfter !== undefined) {
    log(
      `memory (all phase): live trees after the call ${all.liveTreesWhileResultHeld} (result held) / ${all.liveTreesAfter} (result dropped); ` +
        `heap after dropping the result ${fmt(all.heapAfterResultDroppedMB ?? 0, 1)} MB; ${all.note}`,
    );
  }
  const sources = new Set(results.filter((r) => r.phase !== "bandit").map((r) => r.engineSource));
  log("");
  if (sources.size > 1) {
    log(
      `WARNING: the engine's sources changed during the run (${results.map((r) => `${r.phase}=${r.engineSource}`).join(", ")}): ` +
        "phases measured different engines, compare with care",
    );
  } else log(`engine sources (src/, rules/) hash ${[...sources][0]}, the same for every phase`);
  if (bandit?.bandit) {
    const b = bandit.bandit;
    log("");
    log(
      `bandit: ${b.issues} issues, ${b.errors} files it could not parse (exit ${b.exitCode}); peak RSS is Bandit's own`,
    );
  }
}

/** Parsing on other threads must not change a single finding. */
export function threadsDiffer(results: readonly PhaseResult[]): boolean {
  const all = results.find((r) => r.phase === "all")?.summary?.digest;
  const threads = results.find((r) => r.phase === "threads")?.summary?.digest;
  return all !== undefined && threads !== undefined && all !== threads;
}
