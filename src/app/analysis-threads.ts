// Warm analysis threads. Starting a thread for each analysis costs more than most analyses do: the thread
// loads the engine's modules, the tree-sitter grammar and the bundled models before it reads a line
// (measured: about 1.2 s of CPU with the compiled build, several seconds under tsx, against a few
// milliseconds for a small pull request once warm). Under load that start-up, not GitHub, was where an
// App worker's time went. So a thread that finished an analysis cleanly is kept for the next one.
//
// Isolation is unchanged where it matters: each thread still has its own heap limit; a thread that ran
// out of a budget, crashed or reported an error is terminated, never reused; the engine keeps no state
// between analyses but caches of the bundled models and the parser. A thread is retired after
// `MAX_USES` analyses anyway, so whatever a long-lived heap accumulates is bounded. Idle threads do not
// keep the process alive (unref), and at most `MAX_IDLE` of them are kept.
//
// How many analyses run at once in a process is bounded here too (`analysisSlot`), apart from how many
// jobs a worker takes: jobs spend most of their time waiting on GitHub, analyses on the CPU, and each
// analysis thread may grow to its heap limit, so memory is bounded by slots times that limit.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** Analyses one thread runs before it is retired. */
export const MAX_USES = 200;
/** Idle threads kept per heap limit (threads of the same limit are interchangeable). */
export const MAX_IDLE = 4;

export interface AnalysisThread {
  readonly worker: Worker;
  readonly memoryMb: number;
  uses: number;
}

/**
 * Only the events this module and ./isolated-analysis.ts listen to: Node's Worker keeps listeners of its
 * own (newListener/removeListener reference its message port), and removing those stops its messages.
 */
function removeOurListeners(worker: Worker): void {
  for (const event of ["message", "error", "exit"]) worker.removeAllListeners(event);
}

const idle = new Map<number, AnalysisThread[]>();
let started = 0;

/** A warm thread with this heap limit, or a new one. Referenced (it keeps the process alive) until released. */
export function acquireThread(memoryMb: number): AnalysisThread {
  const thread = idle.get(memoryMb)?.pop();
  if (thread) {
    removeOurListeners(thread.worker);
    thread.worker.ref();
    return thread;
  }
  started += 1;
  return { worker: startWorker(memoryMb), memoryMb, uses: 0 };
}

/**
 * Gives back a thread whose analysis finished cleanly; it is kept for the next analysis unless it is
 * worn out or enough threads are idle already.
 */
export function releaseThread(thread: AnalysisThread): void {
  thread.uses += 1;
  const kept = idle.get(thread.memoryMb) ?? [];
  if (thread.uses >= MAX_USES || kept.length >= MAX_IDLE) {
    discardThread(thread);
    return;
  }
  removeOurListeners(thread.worker);
  thread.worker.unref();
  // A thread that dies while idle (it should not) is forgotten, and its error is not uncaught.
  const forget = () => {
    const at = kept.indexOf(thread);
    if (at >= 0) kept.splice(at, 1);
  };
  thread.worker.on("error", forget);
  thread.worker.on("exit", forget);
  kept.push(thread);
  idle.set(thread.memoryMb, kept);
}

/** Ends a thread (out of budget or broken): it is never handed out again. */
export function discardThread(thread: AnalysisThread): void {
  removeOurListeners(thread.worker);
  // A thread ending with an error after this must not become an uncaught 'error' event.
  thread.worker.on("error", () => {});
  void thread.worker.terminate().catch(() => {});
}

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Waits until fewer than `limit` analyses run in this process, takes a place among them and resolves with
 * the function that gives it back (call it once).
 */
export async function analysisSlot(limit: number): Promise<() => void> {
  while (running >= Math.max(1, limit)) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  let given = false;
  return () => {
    if (given) return;
    given = true;
    running -= 1;
    waiting.shift()?.();
  };
}

/** For tests and metrics: threads started since the process began, and threads idle now. */
export function threadStats(): { started: number; idle: number; running: number; waiting: number } {
  let n = 0;
  for (const list of idle.values()) n += list.length;
  return { started, idle: n, running, waiting: waiting.length };
}

const require = createRequire(import.meta.url);
let tsxApi: string | undefined;

/** The ESM build of tsx's API (require.resolve would give the CommonJS one, which a worker cannot load). */
function tsxApiUrl(): string {
  if (tsxApi) return tsxApi;
  const manifest = require.resolve("tsx/package.json");
  const exports = (require(manifest) as { exports?: Record<string, { import?: { default?: string } }> })
    .exports;
  const relative = exports?.["./esm/api"]?.import?.default ?? "./dist/esm/api/index.mjs";
  tsxApi = pathToFileURL(join(dirname(manifest), relative)).href;
  return tsxApi;
}

/**
 * The worker runs `analysis-worker` next to this file: compiled JavaScript in production; the TypeScript
 * source under tsx and vitest, loaded through tsx's API (a worker does not inherit the parent's loader).
 */
function startWorker(memoryMb: number): Worker {
  const self = fileURLToPath(import.meta.url);
  const extension = self.endsWith(".ts") ? ".ts" : ".js";
  const entry = new URL(`./analysis-worker${extension}`, import.meta.url);
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    stdout: false,
    stderr: false,
  };
  if (extension === ".js") return new Worker(entry, options);
  const api = tsxApiUrl();
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}
