// The compiled addon, or null when it was not built (npm ci --ignore-scripts, no compiler): the engine then
// walks trees through the tree-sitter binding instead, which gives the same trees, slower.
const { join } = require("node:path");

let addon = null;
try {
  addon = require("./build/Release/tree_export.node");
} catch {
  addon = null;
}
module.exports = { treeExport: addon, parseWorkerPath: join(__dirname, "parse-worker.cjs") };
