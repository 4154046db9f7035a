import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runAnalysis, runAnalysisAsync } from "../../src/run-analysis.js";
import { parsePython } from "../../src/engine/parse.js";
import type { SourceFile } from "../../src/engine/types.js";
import { ParsePool } from "../../src/parse-pool.js";
import { analyzeAsync } from "../../src/engine/analyze.js";
import { bundledModels } from "../../src/models.js";
import { RULES } from "../../rules/index.js";
import { DEFAULT_CONFIG, engineSettings } from "../../src/config.js";

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

  it("hands out a tree that arrived while the analysis was busy, without waiting for the event loop", async () => {
    const pool = ParsePool.create(1)!;
    try {
      pool.schedule([{ path: "warm.py", text: "x = 1\n" }]);
      await pool.ready("warm.py");
      const text = "def f(code):\n    exec(code)\n";
      pool.schedule([{ path: "nested.py", text }]);
      // The analysis runs through an entry and its imports synchronously: no turn of the event loop comes
      // between scheduling a module and needing it.
      const until = performance.now() + 1000;
      while (performance.now() < until) {
        // busy, as the interpreter is
      }
      expect(
        pool
          .take("nested.py", text)
          ?.root.descendantsOfType("call")
          .map((c) => c.text),
      ).toEqual(["exec(code)"]);
    } finally {
      await pool.close();
    }
  });

  it("drops the trees of modules the analysis went past without taking them", async () => {
    const pool = ParsePool.create(1)!;
    try {
      const files = ["a", "b", "c"].map((name) => ({ path: `${name}.py`, text: `${name} = 1\n` }));
      pool.schedule(files);
      await Promise.all(files.map((f) => pool.ready(f.path)));
      pool.reached("c.py");
      expect(pool.take("a.py", files[0]!.text)).toBeUndefined();
      expect(pool.take("b.py", files[1]!.text)).toBeUndefined();
      expect(pool.take("c.py", files[2]!.text)?.root.text).toBe("c = 1\n");
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

describe("the parse plan", () => {
  it("lists each entry, then the modules it will import and interpret, before the next entry", async () => {
    const dir = join(ROOT, "rules/VNX-LLM-002/examples/import_chain");
    const files = readdirSync(join(dir, "bench_suite"))
      .filter((name) => name.endsWith(".py"))
      .map((name) => ({
        path: `bench_suite/${name}`,
        text: readFileSync(join(dir, "bench_suite", name), "utf8"),
      }));
    let planned: string[] = [];
    const entries: string[] = [];
    await analyzeAsync(files, {
      rules: RULES,
      models: bundledModels(),
      settings: engineSettings(DEFAULT_CONFIG),
      planned: (modules) => {
        planned = modules.map((m) => m.path);
      },
      beforeModule: async (path) => {
        entries.push(path);
      },
    });
    // optimizer.py calls the model; benchmarks.py holds the sink; the two between are interpreted for the
    // optimizer, and parsed ahead in the order it imports them.
    expect(entries).toEqual(["bench_suite/benchmarks.py", "bench_suite/optimizer.py"]);
    expect(planned).toEqual([
      "bench_suite/benchmarks.py",
      "bench_suite/optimizer.py",
      "bench_suite/evaluation.py",
      "bench_suite/evaluator.py",
    ]);
  });
});
