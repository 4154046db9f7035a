// `npm install` of this addon: compile it with node-gyp. It is an accelerator, not a requirement, so a
// machine without a C toolchain gets one line saying so and a working install (the engine then walks
// trees through the tree-sitter binding: same results, about twice as slow). node-gyp's own log is kept
// for RCE_GUARD_NATIVE_VERBOSE=1, or shown when the build was asked for by name (npm rebuild).
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { delimiter, join } = require("node:path");

const verbose = Boolean(process.env.RCE_GUARD_NATIVE_VERBOSE);
// npm puts its bundled node-gyp on PATH for install scripts and names it in npm_config_node_gyp.
const nodeGyp = process.env.npm_config_node_gyp;
const result = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, "rebuild"], { cwd: __dirname, stdio: verbose ? "inherit" : "pipe" })
  : spawnSync("node-gyp", ["rebuild"], {
      cwd: __dirname,
      stdio: verbose ? "inherit" : "pipe",
      shell: process.platform === "win32",
    });

if (result.status !== 0) {
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const why = result.error
    ? `node-gyp could not be started (${result.error.message})`
    : missingTools().length > 0
      ? `no C toolchain (missing: ${missingTools().join(", ")})`
      : /find Python/i.test(output)
        ? "no usable Python for node-gyp"
        : "the native build failed (set RCE_GUARD_NATIVE_VERBOSE=1 to see why)";
  process.stderr.write(
    `rce-guard: native tree export not built: ${why}; using the tree-sitter binding instead (same results, about twice as slow)\n`,
  );
}
process.exit(0);

/** Build tools node-gyp needs that are not on PATH (checked on POSIX only; Windows builds use MSBuild). */
function missingTools() {
  if (process.platform === "win32") return [];
  const onPath = (name) =>
    (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
  const missing = [];
  if (!onPath("make")) missing.push("make");
  if (!["cc", "gcc", "clang"].some(onPath) && !process.env.CC) missing.push("a C compiler");
  if (!onPath("python3") && !onPath("python") && !process.env.PYTHON) missing.push("python3");
  return missing;
}
