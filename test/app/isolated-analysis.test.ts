// The analysis thread's backstops, without GitHub: what the caller gets when the heap or the total time
// runs out. Every file given is in the result, as analysed or as not analysed with the reason.
import { describe, expect, it } from "vitest";
import { analyzeIsolated, budgetsFromEnv } from "../../src/app/isolated-analysis.js";
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

  it("reads the budgets from the environment, refusing what is not a positive whole number", () => {
    expect(budgetsFromEnv({ RCE_GUARD_FILE_BUDGET_MS: "2500", RCE_GUARD_MEMORY_LIMIT_MB: "-1" })).toEqual({
      budgets: { fileMs: 2500, totalMs: 60_000, memoryMb: 1024 },
      problems: ['RCE_GUARD_MEMORY_LIMIT_MB="-1" is not a positive whole number; using 1024'],
    });
  });
});
