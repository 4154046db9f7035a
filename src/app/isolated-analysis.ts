// The analysis of one change, off the thread that answers webhooks: a worker thread with a heap limit
// (kept warm between analyses: ./analysis-threads.ts), watched from here against a time budget per file
// and per analysis. The engine gets the same budgets and
// normally cuts a slow file itself (a diagnostic naming it); this is the backstop for what it cannot cut —
// a file that never returns to it, a heap that runs out, a native abort. Then the worker is terminated,
// the file in progress is listed as not analysed with the reason, and the rest is analysed again without
// it. Whatever happens the caller gets a result, in which no file that was not analysed reads as clean.
import { type Config, DEFAULT_CONFIG } from "../config.js";
import type { AnalysisResult, Diagnostic, LineRanges, SourceFile } from "../engine/index.js";
import { availableParallelism } from "node:os";
import { acquireThread, analysisSlot, discardThread, MAX_IDLE, releaseThread } from "./analysis-threads.js";

export interface AnalysisBudgets {
  /** One file's analysis, in milliseconds. */
  fileMs: number;
  /** The whole analysis of a change, in milliseconds. */
  totalMs: number;
  /** Heap of the analysis thread (V8's old generation), in MiB. */
  memoryMb: number;
  /**
   * Analyses at once in this process (each on its own thread, with its own heap); more wait their turn,
   * and the time budget starts when the turn comes. Default: one per core.
   */
  threads?: number;
}

export const DEFAULT_BUDGETS: Readonly<AnalysisBudgets> = Object.freeze({
  fileMs: 10_000,
  totalMs: 60_000,
  memoryMb: 1024,
});

/** Environment variables that override the budgets (documented in the README). */
export const BUDGET_ENV = {
  fileMs: "RCE_GUARD_FILE_BUDGET_MS",
  totalMs: "RCE_GUARD_TOTAL_BUDGET_MS",
  memoryMb: "RCE_GUARD_MEMORY_LIMIT_MB",
  threads: "RCE_GUARD_ANALYSIS_THREADS",
} as const;

/** The budgets with the environment's overrides; invalid values are reported and the default kept. */
export function budgetsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  budgets: AnalysisBudgets;
  problems: string[];
} {
  const budgets = { ...DEFAULT_BUDGETS };
  const problems: string[] = [];
  for (const key of Object.keys(BUDGET_ENV) as (keyof AnalysisBudgets)[]) {
    const raw = env[BUDGET_ENV[key]];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (Number.isInteger(value) && value > 0) budgets[key] = value;
    else
      problems.push(
        `${BUDGET_ENV[key]}=${JSON.stringify(raw)} is not a positive whole number; using ${budgets[key] ?? "one per core"}`,
      );
  }
  return { budgets, problems };
}

/** What the worker is sent for one analysis (with an id its answers carry). */
export interface AnalysisRequest {
  files: SourceFile[];
  changedLines: Map<string, LineRanges>;
  config: Config;
  maxFileBytes: number;
  /** Every Python path of the repository at the head commit (import resolution: which folders are packages). */
  projectPaths?: string[];
  fileMs: number;
  totalMs: number;
}

export type WorkerMessage = { id: number } & (
  | { kind: "module"; path: string }
  | { kind: "done"; result: AnalysisResult }
  | { kind: "failed"; error: string }
);

let nextRequestId = 0;

export interface IsolatedOptions {
  changedLines: ReadonlyMap<string, LineRanges>;
  config: Config;
  maxFileBytes: number;
  projectPaths?: readonly string[];
}

/** Files blamed (and left out) before the rest is given up as not analysed. */
const MAX_RETRIES = 3;

type Outcome =
  | { kind: "done"; result: AnalysisResult }
  | { kind: "file-time"; path: string }
  | { kind: "total-time"; path?: string }
  | { kind: "crashed"; path?: string; memory: boolean; error: string };

/** How long past a budget the engine gets to stop by itself before its thread is terminated. */
export function graceMs(budgetMs: number): number {
  return Math.min(5_000, Math.max(250, Math.round(budgetMs / 2)));
}

export async function analyzeIsolated(
  files: readonly SourceFile[],
  options: IsolatedOptions,
  budgets: AnalysisBudgets,
  clock: () => number = () => performance.now(),
): Promise<AnalysisResult> {
  const done = await analysisSlot(budgets.threads ?? availableParallelism());
  try {
    return await analyzeWithin(files, options, budgets, clock);
  } finally {
    done();
  }
}

/**
 * Starts the threads a worker will analyse on before its first job: each runs a one-line analysis, so it
 * has loaded the engine, the grammar and the models when the first pull request comes (and that start-up
 * does not fall in the middle of a burst of deliveries). A thread that fails to warm is simply not kept.
 */
export async function warmAnalysisThreads(budgets: AnalysisBudgets): Promise<void> {
  const count = Math.min(MAX_IDLE, budgets.threads ?? availableParallelism());
  const file = { path: "warm.py", text: "pass\n" };
  const options = { changedLines: new Map(), config: DEFAULT_CONFIG, maxFileBytes: 1024 };
  await Promise.all(
    Array.from({ length: count }, () => analyzeIsolated([file], options, budgets).catch(() => undefined)),
  );
}

async function analyzeWithin(
  files: readonly SourceFile[],
  options: IsolatedOptions,
  budgets: AnalysisBudgets,
  clock: () => number,
): Promise<AnalysisResult> {
  const started = clock();
  const deadline = started + budgets.totalMs + graceMs(budgets.totalMs);
  const notAnalysed: Diagnostic[] = [];
  let remaining = [...files];
  for (let attempt = 0; ; attempt++) {
    const left = budgets.totalMs - (clock() - started);
    const outcome: Outcome =
      left > 0
        ? await runOnce(remaining, options, budgets, Math.max(1, Math.floor(left)), deadline, clock)
        : { kind: "total-time" };
    if (outcome.kind === "done") {
      return { ...outcome.result, diagnostics: [...notAnalysed, ...outcome.result.diagnostics] };
    }
    const blamed = outcome.path;
    if (outcome.kind !== "total-time" && blamed !== undefined && attempt < MAX_RETRIES) {
      notAnalysed.push(notAnalysedDiagnostic(blamed, reasonFor(outcome, budgets)));
      remaining = remaining.filter((f) => f.path !== blamed);
      continue;
    }
    // Out of time or retries, or nothing to blame: every file left is listed, none reads as clean.
    const reason =
      outcome.kind === "total-time" || blamed !== undefined
        ? reasonFor({ kind: "total-time" }, budgets)
        : reasonFor(outcome, budgets);
    for (const file of remaining) notAnalysed.push(notAnalysedDiagnostic(file.path, reason));
    return {
      findings: [],
      suppressed: [],
      diagnostics: notAnalysed,
      stats: {
        files: files.length,
        bytes: files.reduce((n, f) => n + f.text.length, 0),
        parseErrors: 0,
        interpreted: 0,
        interpretedBytes: 0,
        steps: 0,
      },
    };
  }
}

function reasonFor(outcome: Exclude<Outcome, { kind: "done" }>, budgets: AnalysisBudgets): string {
  switch (outcome.kind) {
    case "file-time":
      return `not analysed: exceeded the time budget of ${seconds(budgets.fileMs)} per file`;
    case "total-time":
      return `not analysed: the analysis exceeded its time budget of ${seconds(budgets.totalMs)}`;
    case "crashed":
      return outcome.memory
        ? `not analysed: the analysis exceeded its memory limit of ${budgets.memoryMb} MiB`
        : `not analysed: the analysis stopped (${outcome.error.slice(0, 200)})`;
  }
}

function notAnalysedDiagnostic(path: string, message: string): Diagnostic {
  return { path, severity: "error", message, incomplete: "file" };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function runOnce(
  files: readonly SourceFile[],
  options: IsolatedOptions,
  budgets: AnalysisBudgets,
  totalMs: number,
  deadline: number,
  clock: () => number,
): Promise<Outcome> {
  const request: AnalysisRequest = {
    files: [...files],
    changedLines: new Map(options.changedLines),
    config: options.config,
    maxFileBytes: options.maxFileBytes,
    ...(options.projectPaths ? { projectPaths: [...options.projectPaths] } : {}),
    fileMs: budgets.fileMs,
    totalMs,
  };
  const id = ++nextRequestId;
  return new Promise<Outcome>((resolve) => {
    let current: { path: string; since: number } | undefined;
    let settled = false;
    const thread = acquireThread(budgets.memoryMb);
    const { worker } = thread;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      // Only a thread that finished cleanly is used again; one stopped wherever it was is terminated.
      if (outcome.kind === "done") releaseThread(thread);
      else discardThread(thread);
      resolve(outcome);
    };
    const fileLimit = budgets.fileMs + graceMs(budgets.fileMs);
    const watchdog = setInterval(
      () => {
        const now = clock();
        if (current && now - current.since > fileLimit) finish({ kind: "file-time", path: current.path });
        else if (now > deadline) finish({ kind: "total-time", ...(current ? { path: current.path } : {}) });
      },
      Math.min(100, Math.max(10, Math.floor(fileLimit / 10))),
    );
    worker.on("message", (message: WorkerMessage) => {
      if (message.id !== id) return;
      if (message.kind === "module") current = { path: message.path, since: clock() };
      else if (message.kind === "done") finish({ kind: "done", result: message.result });
      else
        finish({
          kind: "crashed",
          error: message.error,
          memory: false,
          ...(current ? { path: current.path } : {}),
        });
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const memory = error.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory|heap/i.test(error.message);
      finish({ kind: "crashed", error: error.message, memory, ...(current ? { path: current.path } : {}) });
    });
    worker.on("exit", (code) => {
      finish({
        kind: "crashed",
        error: `the analysis thread exited with code ${code}`,
        memory: false,
        ...(current ? { path: current.path } : {}),
      });
    });
    worker.postMessage({ id, request });
  });
}
