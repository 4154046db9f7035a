// `npm run bench`: the engine over a large real Python corpus — the standard library of the `python3` on
// PATH — against tree-sitter alone (the floor) and Bandit (when installed). See bench/README.md.
//
// Every measurement runs in its own child process (same Node flags, same loader), so each phase's peak
// RSS is its own and no phase warms or fragments the heap of the next. The workers phase runs the engine
// in node:worker_threads, which load TypeScript through tsx's register API.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { runAnalysis, runAnalysisAsync } from "../src/analysis.js";
import { type AnalysisResult, DEFAULT_MAX_FILE_BYTES, type Finding, parsePython, type SourceFile, treeSource } from "../src/engine/index.js";

const LLM_RULE = "VNX-LLM-002";
const MB = 1e6;
const PHASES = ["parse", "copy", "chunks", "all", "threads", "workers", "bandit"] as const;
type Phase = (typeof PHASES)[number];

interface Options {
  limit: number | undefined;
  json: boolean;
  workers: number;
  groupBytes: number;
  phases: Phase[];
  root: string | undefined;
  /** Internal: run one phase in this process and print its result as JSON. */
  phase: Phase | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    limit: undefined,
    json: false,
    workers: availableParallelism(),
    groupBytes: 4 * 1024 * 1024,
    phases: [...PHASES],
    root: undefined,
    phase: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--limit") options.limit = Number.parseInt(value(), 10);
    else if (arg === "--json") options.json = true;
    else if (arg === "--workers") options.workers = Math.max(1, Number.parseInt(value(), 10));
    else if (arg === "--group-mib") options.groupBytes = Number.parseFloat(value()) * 1024 * 1024;
    else if (arg === "--only") options.phases = value().split(",").map(checkPhase);
    else if (arg === "--skip") {
      const skip = new Set(value().split(",").map(checkPhase));
      options.phases = options.phases.filter((p) => !skip.has(p));
    } else if (arg === "--root") options.root = value();
    else if (arg === "--phase") options.phase = checkPhase(value());
    else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: npm run bench -- [--limit N] [--json] [--workers N] [--only parse,copy,chunks,all,workers,bandit]\n" +
          "                        [--skip PHASES] [--group-mib 4] [--root DIR]",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function checkPhase(name: string): Phase {
  if (!(PHASES as readonly string[]).includes(name))
    throw new Error(`unknown phase ${name} (${PHASES.join(", ")})`);
  return name as Phase;
}

// ---------------------------------------------------------------- corpus

interface Corpus {
  root: string;
  files: SourceFile[];
  bytes: number;
  skippedLarge: number;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 256 * MB, ...opts }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({
        stdout: String(stdout),
        stderr: String(stderr) || (error && code === -1 ? error.message : ""),
        code,
      });
    });
  });
}

async function stdlibRoot(): Promise<string> {
  const { stdout, code, stderr } = await run("python3", [
    "-c",
    "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
  ]);
  if (code !== 0) throw new Error(`cannot locate the standard library through python3: ${stderr.trim()}`);
  return stdout.trim();
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Third-party packages and byte-code caches are not the standard library.
      if (entry.name === "site-packages" || entry.name === "dist-packages" || entry.name === "__pycache__")
        continue;
      await walk(full, out);
    } else if (entry.isFile() && entry.name.endsWith(".py")) out.push(full);
  }
}

async function loadCorpus(options: Options): Promise<Corpus> {
  const root = options.root ?? (await stdlibRoot());
  const paths: string[] = [];
  await walk(root, paths);
  paths.sort();
  const files: SourceFile[] = [];
  let bytes = 0;
  let skippedLarge = 0;
  for (const full of paths) {
    if (options.limit !== undefined && files.length >= options.limit) break;
    if ((await stat(full)).size > DEFAULT_MAX_FILE_BYTES) {
      skippedLarge++;
      continue;
    }
    // Paths relative to the root, with `/`: module names are then the stdlib's own (`json.decoder`).
    const path = relative(root, full).split(sep).join("/");
    // latin-1 test files decode with replacement characters, as the CLI reads them.
    const text = await readFile(full, "utf8");
    files.push({ path, text });
    bytes += Buffer.byteLength(text, "utf8");
  }
  return { root, files, bytes, skippedLarge };
}

/**
 * Chunks of files that stay together: one per top-level package (top-level modules share one chunk).
 * A chunk larger than `maxBytes` is split one directory level further, and a directory's own files,
 * if still too large, into consecutive runs — `test/` alone is over half the standard library.
 */
function groupFiles(
  files: readonly SourceFile[],
  maxBytes: number,
): { name: string; files: SourceFile[]; bytes: number }[] {
  const out: { name: string; files: SourceFile[]; bytes: number }[] = [];
  const size = (fs: readonly SourceFile[]) => fs.reduce((n, f) => n + f.text.length, 0);
  const split = (prefix: string, depth: number, members: SourceFile[]) => {
    const bytes = size(members);
    if (bytes <= maxBytes) {
      out.push({ name: prefix || "<top-level modules>", files: members, bytes });
      return;
    }
    const own: SourceFile[] = [];
    const sub = new Map<string, SourceFile[]>();
    for (const file of members) {
      const parts = file.path.split("/");
      if (parts.length <= depth + 1) own.push(file);
      else {
        const key = parts.slice(0, depth + 1).join("/");
        sub.set(key, [...(sub.get(key) ?? []), file]);
      }
    }
    for (const [key, list] of sub) split(key, depth + 1, list);
    let run: SourceFile[] = [];
    let runBytes = 0;
    let part = 1;
    const label = prefix ? `${prefix}/*` : "<top-level modules>";
    const flush = () => {
      if (run.length > 0) out.push({ name: `${label} #${part++}`, files: run, bytes: runBytes });
      run = [];
      runBytes = 0;
    };
    for (const file of own) {
      if (runBytes > 0 && runBytes + file.text.length > maxBytes) flush();
      run.push(file);
      runBytes += file.text.length;
    }
    flush();
  };
  const top = new Map<string, SourceFile[]>();
  for (const file of files) {
    const parts = file.path.split("/");
    const key = parts.length === 1 ? "" : parts[0]!;
    top.set(key, [...(top.get(key) ?? []), file]);
  }
  for (const [key, list] of top) split(key, key ? 1 : 0, list);
  // Largest first: the workers take chunks from a queue, and this order balances them best.
  return out.sort((a, b) => b.bytes - a.bytes);
}

// ---------------------------------------------------------------- measurements

interface FindingBrief {
  ruleId: string;
  path: string;
  line: number;
  callee: string;
  provenance: string;
  code: string;
}

interface AnalysisSummary {
  findings: number;
  suppressed: number;
  byRule: Record<string, number>;
  llm002: FindingBrief[];
  diagnostics: { errors: number; warnings: number; internalErrors: string[] };
  parseErrors: number;
  /** Modules the relevance filter let through (parsed and interpreted), and their size. */
  interpreted?: { files: number; bytes: number };
  /** Hash of every finding (rule, place, severity, fingerprint): equal digests, equal findings. */
  digest?: string;
}

interface HeapSample {
  chunk: string;
  files: number;
  heapUsedMB: number;
  externalMB: number;
  rssMB: number;
  liveTrees: number;
}

interface PhaseResult {
  phase: Phase;
  files: number;
  bytes: number;
  seconds: number;
  /** CPU time (user + system, all threads of the process) over the timed region: robust to a busy machine. */
  cpuSeconds: number;
  maxRssMB: number;
  summary?: AnalysisSummary;
  chunks?: number;
  heap?: HeapSample[];
  heapAfterResultDroppedMB?: number;
  liveTreesAfter?: number;
  liveTreesWhileResultHeld?: number;
  workers?: WorkerReport[];
  startupSeconds?: number;
  bandit?: { issues: number; errors: number; exitCode: number; byTest: Record<string, number> };
  note?: string;
  /** tree-sitter alone on the same files, timed chunk by chunk alongside the analysis (chunks phase). */
  floor?: { seconds: number; cpuSeconds: number };
  /** Hash of src/ and rules/ when the phase loaded the engine: the engine may change between phases. */
  engineSource?: string;
}

interface WorkerReport {
  id: number;
  chunks: number;
  files: number;
  bytes: number;
  busySeconds: number;
  peakHeapUsedMB: number;
  maxRssMB: number;
}

const rssMB = () => process.resourceUsage().maxRSS / 1024;
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Trees alive, counted through a finalizer on every tree tree-sitter hands out. */
const treeCounter = (() => {
  let created = 0;
  let finalized = 0;
  const registry = new FinalizationRegistry<number>(() => {
    finalized++;
  });
  const proto = Parser.prototype as unknown as { parse: (...args: unknown[]) => Parser.Tree };
  const original = proto.parse;
  let installed = false;
  return {
    install() {
      if (installed) return;
      installed = true;
      proto.parse = function (this: Parser, ...args: unknown[]) {
        const tree = original.apply(this, args);
        created++;
        registry.register(tree, created);
        return tree;
      };
    },
    live: () => created - finalized,
  };
})();

/** A real gc() whether or not Node was started with --expose-gc. */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

async function fullGc(gc: () => void): Promise<void> {
  // Twice, with turns of the event loop between, so finalizers run and what they freed is collected.
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function summarise(results: readonly AnalysisResult[], texts: ReadonlyMap<string, string>): AnalysisSummary {
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
    .map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}:${f.location.startColumn} ${f.severity} ${f.fingerprint}`)
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

function brief(finding: Finding, texts: ReadonlyMap<string, string>): FindingBrief {
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

/** Times `hasError` over every file (skipping binary ones, as the engine does); counts syntax errors. */
function timeParsing(phase: "parse" | "copy", corpus: Corpus, hasError: (text: string) => boolean): PhaseResult {
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

function bindingParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(Python as unknown as Parser.Language);
  return parser;
}

/** tree-sitter alone through its binding (whole strings below 64 KiB, 64 KiB chunks above). */
function parseWithBinding(parser: Parser, text: string): boolean {
  const chunk = 64 * 1024;
  const tree = text.length < chunk ? parser.parse(text) : parser.parse((index: number) => text.slice(index, index + chunk));
  return tree.rootNode.hasError;
}

async function phaseParse(corpus: Corpus): Promise<PhaseResult> {
  const parser = bindingParser();
  return timeParsing("parse", corpus, (text) => parseWithBinding(parser, text));
}

/** The engine's parsePython: tree-sitter plus whatever the engine does to each tree before interpreting. */
async function phaseCopy(corpus: Corpus): Promise<PhaseResult> {
  return timeParsing("copy", corpus, (text) => parsePython(text).firstError !== undefined);
}

/**
 * `all`: as the CLI runs it, but on one thread. `threads`: as the CLI runs it on this machine, parsing ahead
 * on other threads while this one interprets (findings must be identical).
 */
async function phaseAll(corpus: Corpus, phase: "all" | "threads"): Promise<PhaseResult> {
  const gc = gcFunction();
  treeCounter.install();
  await fullGc(gc);
  const cpu = cpuNow();
  const start = performance.now();
  // Pausing between modules lets the binding's native trees be freed (when the native export is not built).
  let result: AnalysisResult | undefined = await runAnalysisAsync(corpus.files, phase === "all" ? { parseThreads: 0 } : {});
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

async function phaseChunks(corpus: Corpus, options: Options): Promise<PhaseResult> {
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

// Messages between the workers phase and its workers.
type ToWorker = { chunk: { name: string; files: SourceFile[] } } | { done: true };
type FromWorker =
  | { ready: true }
  | { result: AnalysisSummary; seconds: number; heapUsedMB: number }
  | { report: { maxRssMB: number } };

async function phaseWorkers(corpus: Corpus, options: Options): Promise<PhaseResult> {
  const groups = groupFiles(corpus.files, options.groupBytes);
  const count = Math.min(options.workers, groups.length);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  // A worker cannot load a .ts entry by itself; tsx's register API, called inside it, teaches it to.
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const queue = [...groups];
  const summaries: AnalysisSummary[] = [];
  const reports: WorkerReport[] = [];
  const cpu = cpuNow();
  const start = performance.now();
  let readyAt = 0;
  await Promise.all(
    Array.from({ length: count }, (_, id) => {
      const report: WorkerReport = {
        id,
        chunks: 0,
        files: 0,
        bytes: 0,
        busySeconds: 0,
        peakHeapUsedMB: 0,
        maxRssMB: 0,
      };
      reports.push(report);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(bootstrap, { eval: true, workerData: { benchWorker: true } });
        const next = () => {
          const group = queue.shift();
          const message: ToWorker = group
            ? { chunk: { name: group.name, files: group.files } }
            : { done: true };
          if (group) {
            report.chunks++;
            report.files += group.files.length;
            report.bytes += group.bytes;
          }
          worker.postMessage(message);
        };
        worker.on("message", (message: FromWorker) => {
          if ("ready" in message) {
            readyAt = Math.max(readyAt, performance.now());
            next();
          } else if ("result" in message) {
            summaries.push(message.result);
            report.busySeconds += message.seconds;
            report.peakHeapUsedMB = Math.max(report.peakHeapUsedMB, message.heapUsedMB);
            next();
          } else {
            report.maxRssMB = message.report.maxRssMB;
          }
        });
        worker.on("error", reject);
        worker.on("exit", (code) =>
          code === 0 ? resolve() : reject(new Error(`worker ${id} exited with ${code}`)),
        );
      });
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    phase: "workers",
    files: corpus.files.length,
    bytes: corpus.bytes,
    seconds,
    cpuSeconds: cpuNow() - cpu,
    maxRssMB: rssMB(),
    summary: mergeSummaries(summaries),
    chunks: groups.length,
    workers: reports,
    startupSeconds: (readyAt - start) / 1000,
  };
}

function workerMain(): void {
  const port = parentPort!;
  port.on("message", (message: ToWorker) => {
    if ("done" in message) {
      port.postMessage({ report: { maxRssMB: rssMB() } } satisfies FromWorker);
      port.close();
      return;
    }
    const start = performance.now();
    const result = runAnalysis(message.chunk.files);
    const seconds = (performance.now() - start) / 1000;
    const summary = summarise([result], textsOf(message.chunk.files));
    port.postMessage({
      result: summary,
      seconds,
      heapUsedMB: process.memoryUsage().heapUsed / MB,
    } satisfies FromWorker);
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

function mergeSummaries(all: readonly AnalysisSummary[]): AnalysisSummary {
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

async function phaseBandit(corpus: Corpus): Promise<PhaseResult> {
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

function textsOf(files: readonly SourceFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.text]));
}

// ---------------------------------------------------------------- orchestration

const PHASE_MARK = "@@bench-phase-result@@";

async function runPhaseInChild(phase: Phase, argv: string[]): Promise<PhaseResult> {
  if (phase === "bandit") {
    // Bandit is an external process already: run it from here.
    return runPhase(phase, parseArgs(argv));
  }
  const script = fileURLToPath(import.meta.url);
  // One-thread phases run with V8's own helper threads (garbage collection, JIT compilation) off too, so
  // their CPU time is what one core would spend; otherwise those threads add 30-50% CPU beside the wall.
  const oneCore = phase === "workers" || phase === "threads" ? [] : ["--single-threaded"];
  const { stdout, stderr, code } = await run(process.execPath, [
    ...oneCore,
    ...process.execArgv,
    script,
    ...argv,
    "--phase",
    phase,
  ]);
  const line = stdout.split("\n").find((l) => l.startsWith(PHASE_MARK));
  if (code !== 0 || !line) throw new Error(`phase ${phase} failed (exit ${code}):\n${stderr.slice(-4000)}`);
  return JSON.parse(line.slice(PHASE_MARK.length)) as PhaseResult;
}

/** Hash of the engine's sources (src/, rules/), to tell whether every phase measured the same engine. */
async function engineSourceHash(): Promise<string> {
  const repo = fileURLToPath(new URL("..", import.meta.url));
  const files: string[] = [];
  const collect = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "examples" && entry.name !== "node_modules") await collect(full);
      } else if (/\.(ts|ya?ml|json)$/.test(entry.name)) files.push(full);
    }
  };
  await collect(join(repo, "src"));
  await collect(join(repo, "rules"));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files)
    hash
      .update(relative(repo, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  return hash.digest("hex").slice(0, 12);
}

async function runPhase(phase: Phase, options: Options): Promise<PhaseResult> {
  const engineSource = await engineSourceHash();
  const result = await runPhaseWith(phase, options);
  return { ...result, engineSource };
}

async function runPhaseWith(phase: Phase, options: Options): Promise<PhaseResult> {
  const corpus = await loadCorpus(options);
  switch (phase) {
    case "parse":
      return phaseParse(corpus);
    case "copy":
      return phaseCopy(corpus);
    case "all":
    case "threads":
      return phaseAll(corpus, phase);
    case "chunks":
      return phaseChunks(corpus, options);
    case "workers":
      return phaseWorkers(corpus, options);
    case "bandit":
      return phaseBandit(corpus);
  }
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const rate = (r: PhaseResult) => ({ mbps: r.bytes / MB / r.seconds, fps: r.files / r.seconds });

function printReport(
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
  log(`machine: ${availableParallelism()} cores available, node ${process.version}; trees through the ${treeSource}`);
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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (options.phase) {
    const result = await runPhase(options.phase, options);
    process.stdout.write(`${PHASE_MARK}${JSON.stringify(result)}\n`);
    return;
  }
  const corpus = await loadCorpus(options);
  const meta = {
    root: corpus.root,
    files: corpus.files.length,
    bytes: corpus.bytes,
    skippedLarge: corpus.skippedLarge,
  };
  const results: PhaseResult[] = [];
  for (const phase of options.phases) {
    if (!options.json) process.stderr.write(`running ${phase}...\n`);
    results.push(await runPhaseInChild(phase, argv));
  }
  if (options.json) {
    console.log(
      JSON.stringify(
        { corpus: meta, cores: availableParallelism(), node: process.version, results },
        null,
        2,
      ),
    );
  } else printReport(meta, results, options);
  const llm = results.flatMap((r) => r.summary?.llm002 ?? []);
  if (llm.length > 0) process.exitCode = 1;
  if (threadsDiffer(results)) process.exitCode = 1;
}

/** Parsing on other threads must not change a single finding. */
function threadsDiffer(results: readonly PhaseResult[]): boolean {
  const all = results.find((r) => r.phase === "all")?.summary?.digest;
  const threads = results.find((r) => r.phase === "threads")?.summary?.digest;
  return all !== undefined && threads !== undefined && all !== threads;
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(2);
  });
} else if ((workerData as { benchWorker?: boolean } | undefined)?.benchWorker) {
  workerMain();
}
