// The workers phase: the engine in node:worker_threads, one package chunk at a time from a shared queue.
// This module is also the workers' entry: each worker imports it (through tsx) and runs workerMain.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { runAnalysis } from "../../src/run-analysis.js";
import type { SourceFile } from "../../src/engine/index.js";
import { type Corpus, groupFiles, textsOf } from "./corpus.js";
import { type AnalysisSummary, cpuNow, MB, type PhaseResult, rssMB, type WorkerReport } from "./measure.js";
import type { Options } from "./options.js";
import { mergeSummaries, summarise } from "./report.js";

// Messages between the workers phase and its workers.
export type ToWorker = { chunk: { name: string; files: SourceFile[] } } | { done: true };
export type FromWorker =
  | { ready: true }
  | { result: AnalysisSummary; seconds: number; heapUsedMB: number }
  | { report: { maxRssMB: number } };

export async function phaseWorkers(corpus: Corpus, options: Options): Promise<PhaseResult> {
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

export function workerMain(): void {
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

if (!isMainThread && (workerData as { benchWorker?: boolean } | undefined)?.benchWorker) workerMain();
