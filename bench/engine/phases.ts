// The phases that run in one thread: parse, copy, all, threads, chunks; and bandit (an external process).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { runAnalysis, runAnalysisAsync } from "../../src/run-analysis.js";
import { type AnalysisResult, parsePython } from "../../src/engine/index.js";
import { type Corpus, groupFiles, run, textsOf } from "./corpus.js";
import {
  cpuNow,
  fullGc,
  gcFunction,
  type HeapSample,
  MB,
  type PhaseResult,
  rssMB,
  treeCounter,
} from "./measure.js";
import type { Options } from "./options.js";
import { summarise } from "./report.js";

/** Times `hasError` over every file (skipping binary ones, as the engine does); counts syntax errors. */
export function timeParsing(
  phase: "parse" | "copy",
  corpus: Corpus,
  hasError: (text: string) => boolean,
): PhaseResult {
  let errors = 0;
  const cpu = cpuNow();
  const start = performance.now();
  for (const file of corpus.files) {
    if (file.text.includes("\u0000")) continue;
    if (hasError(file.text)) errors++;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    phase,
    files: corpus.files.length,
    bytes: corpus.bytes,
    seconds,
    cpuSeconds: cpuNow() - cpu,
    maxRssMB: rssMB(),
    note: `${errors} files with syntax errors`,
  };
}

export function bindingParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(Python as unknown as Parser.Language);
  return parser;
}

/** tree-sitter alone through its binding (whole strings below 64 KiB, 64 KiB chunks above). */
export function parseWithBinding(parser: Parser, text: string): boolean {
  const chunk = 64 * 1024;
  const tree =
    text.length < chunk
      ? parser.parse(text)
      : parser.parse((index: number) => text.slice(index, index + chunk));
  return tree.rootNode.hasError;
}

export async function phaseParse(corpus: Corpus): Promise<PhaseResult> {
  const parser = bindingParser();
  return timeParsing("parse", corpus, (text) => parseWithBinding(parser, text));
}

/** The engine's parsePython: tree-sitter plus whatever the engine does to each tree before interpreting. */
export async function phaseCopy(corpus: Corpus): Promise<PhaseResult> {
  return timeParsing("copy", corpus, (text) => parsePython(text).firstError !== undefined);
}

/**
 * `all`: as the CLI runs it, but on one thread. `threads`: as the CLI runs it on this machine, parsing ahead
 * on other threads while this one interprets (findings must be identical).
 */
export async function phaseAll(corpus: Corpus, phase: "all" | "threads"): Promise<PhaseResult> {
  const gc = gcFunction();
  treeCounter.install();
  await fullGc(gc);
  const cpu = cpuNow();
  const start = performance.now();
  // Pausing between modules lets the binding's native trees be freed (when the native export is not built).
  let result: AnalysisResult | undefined = await runAnalysisAsync(
    corpus.files,
    phase === "all" ? { parseThreads: 0 } : {},
  );
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuNow() - cpu;
  const maxRssMB = rssMB();
  const summary = summarise([result], textsOf(corpus.files));
  await fullGc(gc);
  const liveTreesWhileResultHeld = treeCounter.live();
  const heldMB = process.memoryUsage().heapUsed / MB;
  result = undefined;
  await fullGc(gc);
  return {
    phase,
    files: corpus.files.length,
    bytes: corpus.bytes,
    seconds,
    cpuSeconds,
    maxRssMB,
    summary,
    liveTreesWhileResultHeld,
    liveTreesAfter: treeCounter.live(),
    heapAfterResultDroppedMB: process.memoryUsage().heapUsed / MB,
    note: `heap with the result still held: ${heldMB.toFixed(1)} MB`,
  };
}

export async function phaseChunks(corpus: Corpus, options: Options): Promise<PhaseResult> {
  const gc = gcFunction();
  treeCounter.install();
  const groups = groupFiles(corpus.files, options.groupBytes);
  const results: AnalysisResult[] = [];
  const heap: HeapSample[] = [];
  let seconds = 0;
  let cpuSeconds = 0;
  let files = 0;
  // tree-sitter alone on the same chunk, right after its analysis: both see the same machine load, so
  // their ratio holds even when a shared machine's speed drifts between phases.
  const parser = bindingParser();
  const floor = { seconds: 0, cpuSeconds: 0 };
  await fullGc(gc);
  for (const group of groups) {
    const cpu = cpuNow();
    const start = performance.now();
    results.push(runAnalysis(group.files));
    seconds += (performance.now() - start) / 1000;
    cpuSeconds += cpuNow() - cpu;
    files += group.files.length;
    const floorCpu = cpuNow();
    const floorStart = performance.now();
    for (const file of group.files) parseWithBinding(parser, file.text);
    floor.seconds += (performance.now() - floorStart) / 1000;
    floor.cpuSeconds += cpuNow() - floorCpu;
    // The heap trend is sampled outside the timed region, after a full collection.
    await fullGc(gc);
    const mem = process.memoryUsage();
    heap.push({
      chunk: group.name,
      files,
      heapUsedMB: mem.heapUsed / MB,
      externalMB: mem.external / MB,
      rssMB: mem.rss / MB,
      liveTrees: treeCounter.live(),
    });
  }
  return {
    phase: "chunks",
    files: corpus.files.length,
    bytes: corpus.bytes,
    seconds,
    cpuSeconds,
    maxRssMB: rssMB(),
    summary: summarise(results, textsOf(corpus.files)),
    chunks: groups.length,
    heap,
    liveTreesAfter: treeCounter.live(),
    floor,
  };
}

export async function phaseBandit(corpus: Corpus): Promise<PhaseResult> {
  const base: PhaseResult = {
    phase: "bandit",
    files: corpus.files.length,
    bytes: corpus.bytes,
    seconds: 0,
    cpuSeconds: 0,
    maxRssMB: 0,
  };
  if ((await run("bandit", ["--version"])).code !== 0) {
    return { ...base, note: "bandit is not on PATH (apt-get install -y bandit, or pip install bandit)" };
  }
  const dir = await mkdtemp(join(tmpdir(), "rce-guard-bench-"));
  const output = join(dir, "bandit.json");
  try {
    // The same file list as the engine (relative to the root, so no site-packages and no files over 2 MiB).
    const args = ["-q", "-f", "json", "-o", output, ...corpus.files.map((f) => f.path)];
    // Node reports no RUSAGE_CHILDREN: a two-line Python wrapper runs Bandit and reports its peak RSS
    // (the wrapper's own start-up, ~20 ms, is inside the timing; Bandit's is too, as it would be for a user).
    const wrapper =
      "import resource, subprocess, sys\n" +
      "code = subprocess.call(sys.argv[1:])\n" +
      "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n" +
      "print(r.ru_maxrss, r.ru_utime + r.ru_stime, code)";
    const start = performance.now();
    const wrapped = await run("python3", ["-c", wrapper, "bandit", ...args], { cwd: corpus.root });
    const seconds = (performance.now() - start) / 1000;
    const [rssKb, cpuSeconds, exit] = wrapped.stdout.trim().split(/\s+/).slice(-3).map(Number);
    const childRss = (rssKb ?? 0) / 1024;
    const code = exit ?? wrapped.code;
    const stderr = wrapped.stderr;
    let issues = 0;
    let errors = 0;
    const byTest: Record<string, number> = {};
    try {
      const report = JSON.parse(await readFile(output, "utf8")) as {
        results: { test_id: string }[];
        errors: unknown[];
      };
      issues = report.results.length;
      errors = report.errors.length;
      for (const r of report.results) byTest[r.test_id] = (byTest[r.test_id] ?? 0) + 1;
    } catch {
      return {
        ...base,
        seconds,
        note: `bandit produced no readable report (exit ${code}): ${stderr.slice(0, 300)}`,
      };
    }
    return {
      ...base,
      seconds,
      cpuSeconds: cpuSeconds ?? 0,
      maxRssMB: childRss,
      bandit: { issues, errors, exitCode: code, byTest },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
