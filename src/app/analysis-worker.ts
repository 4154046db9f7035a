// The analysis thread: one per analysis, started by ./isolated-analysis.ts with the change's files in
// workerData. It announces each module as its interpretation begins (so the parent can name the file a
// budget ran out in) and posts the result. The parent terminates it when a budget is spent.
import { parentPort, workerData } from "node:worker_threads";
import { runAnalysisAsync } from "../run-analysis.js";
import type { AnalysisRequest, WorkerMessage } from "./isolated-analysis.js";

const port = parentPort;
if (port) {
  const request = workerData as AnalysisRequest;
  const post = (message: WorkerMessage) => port.postMessage(message);
  runAnalysisAsync(request.files, {
    changedLines: request.changedLines,
    config: request.config,
    maxFileBytes: request.maxFileBytes,
    ...(request.projectPaths ? { projectPaths: request.projectPaths } : {}),
    budget: { clock: () => performance.now(), fileMs: request.fileMs, totalMs: request.totalMs },
    onModule: (path) => post({ kind: "module", path }),
  }).then(
    (result) => post({ kind: "done", result }),
    (error: unknown) =>
      post({ kind: "failed", error: error instanceof Error ? error.message : String(error) }),
  );
}
