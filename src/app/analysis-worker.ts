// An analysis thread (./analysis-threads.ts keeps it warm between analyses): it takes one analysis at a
// time from ./isolated-analysis.ts, with the change's files, announces each module as its interpretation
// begins (so the parent can name the file a budget ran out in) and posts the result, each message with the
// request's id. The parent terminates it when a budget is spent.
import { parentPort } from "node:worker_threads";
import { runAnalysisAsync } from "../run-analysis.js";
import type { AnalysisRequest, WorkerMessage } from "./isolated-analysis.js";

const port = parentPort;
port?.on("message", ({ id, request }: { id: number; request: AnalysisRequest }) => {
  const post = (message: WorkerMessage) => port.postMessage(message);
  runAnalysisAsync(request.files, {
    changedLines: request.changedLines,
    config: request.config,
    maxFileBytes: request.maxFileBytes,
    ...(request.projectPaths ? { projectPaths: request.projectPaths } : {}),
    budget: { clock: () => performance.now(), fileMs: request.fileMs, totalMs: request.totalMs },
    onModule: (path) => post({ id, kind: "module", path }),
  }).then(
    (result) => post({ id, kind: "done", result }),
    (error: unknown) =>
      post({ id, kind: "failed", error: error instanceof Error ? error.message : String(error) }),
  );
});
