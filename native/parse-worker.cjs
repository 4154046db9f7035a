// A parsing thread: Python text in, the addon's flat records out (the buffer is transferred, not copied).
// Plain CommonJS with no TypeScript, so a thread starts in milliseconds.
const { parentPort } = require("node:worker_threads");
const Python = require("tree-sitter-python");
const { treeExport } = require("./index.cjs");

parentPort.on("message", ({ id, text }) => {
  try {
    const { records, hasError } = treeExport.exportTree(Python, text);
    parentPort.postMessage({ id, records, hasError }, [records.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
