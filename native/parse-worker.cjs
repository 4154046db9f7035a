// A parsing thread: Python text in, the addon's flat records out (the buffer is transferred, not copied).
// Plain CommonJS with no TypeScript, so a thread starts in milliseconds.
// Jobs come and results go on the channel the pool hands over (workerData.port), so the pool can read a
// result synchronously (receiveMessageOnPort); the default port otherwise.
const { parentPort, workerData } = require("node:worker_threads");
const Python = require("tree-sitter-python");
const { treeExport } = require("./index.cjs");

const port = (workerData && workerData.port) || parentPort;
// One flag per job (by id modulo its length), set by the pool when it no longer wants the job.
const cancelled = workerData && workerData.cancelled;

port.on("message", ({ id, text }) => {
  if (cancelled && Atomics.load(cancelled, id % cancelled.length) === 1) {
    port.postMessage({ id });
    return;
  }
  try {
    const { records, hasError } = treeExport.exportTree(Python, text);
    port.postMessage({ id, records, hasError }, [records.buffer]);
  } catch (error) {
    port.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
