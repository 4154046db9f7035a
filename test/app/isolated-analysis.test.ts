// The analysis thread's backstops, without GitHub: what the caller gets when the heap or the total time
// runs out. Every file given is in the result, as analysed or as not analysed with the reason.
import { describe, expect, it } from "vitest";
import { threadStats } from "../../src/app/analysis-threads.js";
import { analyzeIsolated, budgetsFromEnv, warmAnalysisThreads } from "../../src/app/isolated-analysis.js";
import { DEFAULT_CONFIG } from "../../src/config.js";
import { incompleteFiles } from "../../src/engine/types.js";
import { slowToAnalyse } from "./support/fixtures.js";

const options = { changedLines: new Map(), config: { ...DEFAULT_CONFIG }, maxFileBytes: 1024 * 1024 };

describe("analyzeIsolated", () => {
  it("past the total budget, every file not finished is listed with the budget", async () => {
    const files = [
      { path: "a.py", text: slowToAnalyse(100) },
      { path: "b.py", text: "import openai\nexec(openai.OpenAI().responses.create().output_text)\n" },
    ];
    const started = performance.now();
    const result = await analyzeIsolated(
      files,
      { ...options, maxFileBytes: 16 << 20 },
      { fileMs: 60_000, totalMs: 1_500, memoryMb: 1536 },
    );
    expect(performance.now() - started).toBeLessThan(8_000);
    // Whichever cuts first — the engine's own budget or the thread's watchdog — both files are named.
    const named = incompleteFiles(result);
    expect(named.map((f) => f.path)).toEqual(["a.py", "b.py"]);
    for (const file of named) expect(file.reason).toMatch(/time budget of 1.5 s/);
  });

  it("a heap that runs out ends the thread, not the process", async () => {
    const result = await analyzeIsolated([{ path: "a.py", text: "print(1)\n" }], options, {
      fileMs: 10_000,
      totalMs: 20_000,
      memoryMb: 4,
    });
    expect(incompleteFiles(result)).toEqual([
      {
        path: "a.py",
        reason: "not analysed: the analysis exceeded its memory limit of 4 MiB",
        incomplete: "file",
      },
    ]);
  });

  it("a thread that finished cleanly serves the next analysis; a thread that ran out is not reused", async () => {
    const budgets = { fileMs: 10_000, totalMs: 20_000, memoryMb: 512 };
    const exec = {
      path: "b.py",
      text: "import openai\nexec(openai.OpenAI().responses.create().output_text)\n",
    };
    const changed = { ...options, changedLines: new Map([["b.py", [[1, 2]] as const]]) };
    const first = await analyzeIsolated([exec], changed, budgets);
    const before = threadStats();
    const second = await analyzeIsolated([exec], changed, budgets);
    // The same findings from the warm thread, and no thread started for them.
    expect(second.findings).toEqual(first.findings);
    expect(first.findings.length).toBeGreaterThan(0);
    expect(threadStats().started).toBe(before.started);
    // Out of its time budget: the thread is terminated, the next analysis gets a fresh one.
    const slow = await analyzeIsolated([{ path: "a.py", text: slowToAnalyse(100) }], options, {
      ...budgets,
      totalMs: 500,
    });
    expect(incompleteFiles(slow).map((f) => f.path)).toEqual(["a.py"]);
    const third = await analyzeIsolated([exec], changed, budgets);
    expect(third.findings).toEqual(first.findings);
    expect(threadStats().idle).toBeGreaterThan(0);
  });

  it("runs at most `threads` analyses at once; the others wait their turn, outside their time budget", async () => {
    const budgets = { fileMs: 10_000, totalMs: 5_000, memoryMb: 512, threads: 1 };
    const file = { path: "c.py", text: "import os\nos.system(input())\n" };
    // Taking a turn (or a place in line) happens before analyzeIsolated first waits.
    const runs = [1, 2, 3].map(() => analyzeIsolated([file], options, budgets));
    const stats = threadStats();
    const results = await Promise.all(runs);
    expect(stats).toMatchObject({ running: 1, waiting: 2 });
    for (const result of results) expect(incompleteFiles(result)).toEqual([]);
    expect(threadStats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("warms threads before the first analysis, which then starts none", async () => {
    const budgets = { fileMs: 10_000, totalMs: 20_000, memoryMb: 384, threads: 2 };
    const before = threadStats().started;
    await warmAnalysisThreads(budgets);
    expect(threadStats().started).toBe(before + 2);
    const result = await analyzeIsolated([{ path: "c.py", text: "print(1)\n" }], options, budgets);
    expect(incompleteFiles(result)).toEqual([]);
    expect(threadStats().started).toBe(before + 2);
  });

  it("reads the budgets from the environment, refusing what is not a positive whole number", () => {
    expect(budgetsFromEnv({ RCE_GUARD_FILE_BUDGET_MS: "2500", RCE_GUARD_MEMORY_LIMIT_MB: "-1" })).toEqual({
      budgets: { fileMs: 2500, totalMs: 60_000, memoryMb: 1024 },
      problems: ['RCE_GUARD_MEMORY_LIMIT_MB="-1" is not a positive whole number; using 1024'],
    });
  });
});
