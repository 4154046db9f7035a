import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runAnalysis, runAnalysisAsync } from "../../src/run-analysis.js";
import { parsePython } from "../../src/engine/parse.js";
import type { SourceFile } from "../../src/engine/types.js";
import { ParsePool } from "../../src/parse-pool.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Every example project as one file set (each under its own folder, so module names stay apart). */
function exampleFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const base of ["rules", "examples"]) {
    for (const entry of readdirSync(join(ROOT, base), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".py")) continue;
      const full = join(entry.parentPath, entry.name);
      files.push({ path: relative(ROOT, full).split("\\").join("/"), text: readFileSync(full, "utf8") });
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

describe("parsing on other threads", () => {
  it("gives exactly the findings of the one-thread analysis", async () => {
    const files = exampleFiles();
    expect(files.length).toBeGreaterThan(30);
    const oneThread = runAnalysis(files);
    expect(oneThread.findings.length).toBeGreaterThan(100);
    for (const parseThreads of [1, 2]) {
      const threaded = await runAnalysisAsync(files, { parseThreads });
      expect(threaded.findings).toEqual(oneThread.findings);
      expect(threaded.suppressed).toEqual(oneThread.suppressed);
      expect(threaded.diagnostics).toEqual(oneThread.diagnostics);
    }
  });

  it("hands out the tree the main thread would build, once", async () => {
    const pool = ParsePool.create(1)!;
    try {
      const text = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n";
      pool.schedule([{ path: "a.py", text }]);
      await pool.ready("a.py");
      const tree = pool.take("a.py", text);
      expect(tree?.root.text).toBe(parsePython(text).root.text);
      expect(tree?.root.descendantsOfType("call").map((c) => c.text)).toEqual(["pickle.loads(blob)"]);
      expect(pool.take("a.py", text)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it("lets the analysis parse for itself once the pool is closed", async () => {
    const pool = ParsePool.create(1)!;
    pool.schedule([{ path: "b.py", text: "x = 1\n" }]);
    await pool.close();
    await pool.ready("b.py");
    expect(pool.take("b.py", "x = 1\n")).toBeUndefined();
  });
});
