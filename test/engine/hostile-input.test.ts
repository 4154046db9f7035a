// What a pull request can do to the engine on purpose: files whose analysis would grow exponentially or
// quadratically, nest past every stack, hide code behind line breaks, or spend the time budget. Each must
// end with its findings or with the file named as not (fully) analysed — never silently clean.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { incompleteFiles } from "../../src/engine/types.js";
import { hostile, MODEL_CALL } from "../support/hostile-python.js";

const ids = (result: ReturnType<typeof runAnalysis>) =>
  result.findings.map((f) => `${f.ruleId}@${f.location.startLine}`);

describe("hostile input: growth the author chooses", () => {
  it("nested loops cost polynomial work, not 2^depth, and the flow through them is found", () => {
    const steps = (depth: number) => {
      const result = runAnalysis([{ path: "loops.py", text: hostile.nestedFor(depth) }]);
      expect(ids(result)).toEqual([`VNX-LLM-002@${depth + 3}`]);
      return result.stats.steps;
    };
    const at10 = steps(10);
    const at20 = steps(20);
    const at30 = steps(30);
    // Quadratic in depth at worst: doubling the depth may cost 4x (2^depth would be 1024x).
    expect(at20 / at10).toBeLessThan(5);
    expect(at30 / at20).toBeLessThan(3);
    const whiles = runAnalysis([{ path: "w.py", text: hostile.nestedWhile(30) }]);
    expect(ids(whiles)).toHaveLength(1);
  });

  it("wrappers built with one of 8 wrappers, 6 levels deep, cost linear work, not 8^depth", () => {
    const steps = (depth: number) => {
      const lines = ["import openai", "import random", ""];
      for (let level = 0; level <= depth; level++) {
        for (let k = 0; k < 8; k++) {
          lines.push(`class W${level}_${k}:`);
          if (level === 0) {
            lines.push("    def chat_completion(self, m):");
            lines.push('        return openai.OpenAI().chat.completions.create(model="m", messages=m)');
          } else {
            lines.push("    def __init__(self, inner):", "        self.inner = inner");
            lines.push("    def chat_completion(self, m):", "        return self.inner.chat_completion(m)");
          }
        }
        const built = (k: number) => (level === 0 ? `W0_${k}()` : `W${level}_${k}(w${level - 1})`);
        lines.push(`w${level} = ${built(0)}`);
        for (let k = 1; k < 8; k++) lines.push(`if random.random() < 0.5:`, `    w${level} = ${built(k)}`);
      }
      lines.push(`exec(w${depth}.chat_completion([]))`);
      const result = runAnalysis([{ path: "wrappers.py", text: `${lines.join("\n")}\n` }]);
      expect(ids(result)).toEqual([`VNX-LLM-002@${lines.length}`]);
      return result.stats.steps;
    };
    const at3 = steps(3);
    const at6 = steps(6);
    expect(at6 / at3).toBeLessThan(3);
  });

  it("a loop-carried value still needs the second pass, and gets it", () => {
    const text = `${MODEL_CALL}prev = ""\nfor i in range(3):\n    exec(prev)\n    prev = r\n`;
    expect(ids(runAnalysis([{ path: "carried.py", text }]))).toEqual(["VNX-LLM-002@5"]);
  });

  it("N variables then N if blocks is linear (8,000 of each took 90 s)", { timeout: 30_000 }, () => {
    const result = runAnalysis([{ path: "ifs.py", text: hostile.variablesThenIfs(8000) }]);
    expect(ids(result)).toHaveLength(1);
    expect(result.diagnostics).toEqual([]);
  });

  it("30 nested closures and lambdas, called through, are found in bounded memory", () => {
    const closures = runAnalysis([{ path: "c.py", text: hostile.nestedClosures(30) }]);
    expect(ids(closures)).toHaveLength(1);
    const lambdas = runAnalysis([{ path: "l.py", text: hostile.nestedLambdas(30) }]);
    expect(ids(lambdas)).toHaveLength(1);
    expect(lambdas.diagnostics).toEqual([]);
  });

  it("a 990 KB line of `import` words is read once (it took 41-48 s)", { timeout: 30_000 }, () => {
    const line = runAnalysis([{ path: "words.py", text: hostile.importWords(90_000) }], {
      maxFileBytes: 8 << 20,
    });
    expect(line.findings).toEqual([]);
    expect(line.diagnostics).toEqual([]);
  });

  it("100,000 unclosed class headers are named by CPython's bracket limit, not parsed (over 120 s before)", {
    timeout: 30_000,
  }, () => {
    const classes = runAnalysis([{ path: "classes.py", text: hostile.unclosedClasses(100_000) }], {
      maxFileBytes: 8 << 20,
    });
    expect(incompleteFiles(classes)).toEqual([
      {
        path: "classes.py",
        incomplete: "file",
        reason: expect.stringMatching(/brackets nested more than 200 deep/),
      },
    ]);
  });
});

describe("hostile input: what tree-sitter itself finds hard", () => {
  it("a run of 100,000 comment lines parses in linear time (tree-sitter-python alone: minutes)", () => {
    const result = runAnalysis([{ path: "comments.py", text: hostile.commentRun(100_000) }], {
      maxFileBytes: 8 << 20,
    });
    expect(ids(result)).toEqual(["VNX-LLM-002@100003"]);
  });

  it("a form feed before the first token does not hide the file", () => {
    expect(ids(runAnalysis([{ path: "ff.py", text: `\f${MODEL_CALL}exec(r)\n` }]))).toEqual([
      "VNX-LLM-002@3",
    ]);
  });
});

describe("hostile input: nesting", () => {
  it("files CPython refuses for nesting are named as not analysed, with the line, and not parsed", () => {
    const result = runAnalysis([
      { path: "ifs.py", text: hostile.nestedIfElse(515) },
      { path: "parens.py", text: hostile.nestedParens(5000) },
      { path: "ok.py", text: `${MODEL_CALL}exec(r)\n` },
    ]);
    expect(incompleteFiles(result).map((f) => [f.path, f.incomplete])).toEqual([
      ["ifs.py", "file"],
      ["parens.py", "file"],
    ]);
    expect(result.diagnostics.find((d) => d.path === "ifs.py")!.message).toMatch(
      /levels of indentation.*line 103/,
    );
    expect(ids(result)).toEqual(["VNX-LLM-002@3"]);
  });

  it("nesting CPython accepts is analysed: 99 indentation levels, 200 brackets", () => {
    const deepIf = runAnalysis([{ path: "if.py", text: hostile.nestedIf(98) }]);
    expect(incompleteFiles(deepIf)).toEqual([]);
    expect(ids(deepIf)).toHaveLength(1);
    const parens = `${MODEL_CALL}x = ${"(".repeat(200)}r${")".repeat(200)}\nexec(x)\n`;
    expect(ids(runAnalysis([{ path: "p.py", text: parens }]))).toEqual(["VNX-LLM-002@4"]);
  });

  it("brackets inside strings and comments do not count as nesting", () => {
    const text = `${MODEL_CALL}s = "${"(".repeat(300)}"\n# ${"[".repeat(300)}\nt = """\n${"{".repeat(300)}\n"""\nexec(r)\n`;
    const result = runAnalysis([{ path: "s.py", text }]);
    expect(result.diagnostics).toEqual([]);
    expect(ids(result)).toEqual(["VNX-LLM-002@8"]);
  });

  it("deep postfix chains are read flatly and named; findings after them are kept", () => {
    const text = `${MODEL_CALL}x = r${".a".repeat(5000)}\nz = f${"()".repeat(5000)}\nexec(r)\n`;
    const result = runAnalysis([{ path: "chain.py", text }]);
    expect(ids(result)).toEqual(["VNX-LLM-002@5"]);
    expect(incompleteFiles(result)).toEqual([
      expect.objectContaining({ path: "chain.py", incomplete: "part" }),
    ]);
    expect(result.diagnostics[0]!.message).toMatch(/nested more than 400 levels/);
  });

  it("long + and `and` chains are followed without a stack per term", () => {
    const text = `${MODEL_CALL}x = ${Array(20_000).fill("r").join(" + ")}\nexec(x)\ny = ${Array(5000).fill("r").join(" and ")}\nexec(y)\n`;
    const result = runAnalysis([{ path: "plus.py", text }]);
    expect(ids(result)).toEqual(["VNX-LLM-002@4", "VNX-LLM-002@6"]);
    expect(result.diagnostics).toEqual([]);
  });

  it("a chained assignment of 1,000 targets (the standard library has one of 500) is walked as a list", () => {
    const text = `${MODEL_CALL}${Array.from({ length: 1000 }, (_, i) => `a${i}`).join(" = ")} = r\nexec(a0)\nexec(a999)\n`;
    const result = runAnalysis([{ path: "chain.py", text }]);
    expect(ids(result)).toEqual(["VNX-LLM-002@4", "VNX-LLM-002@5"]);
    expect(result.diagnostics).toEqual([]);
  });

  it("helper chains are followed 90 calls deep; deeper ones are named, not silently dropped", () => {
    expect(ids(runAnalysis([{ path: "h.py", text: hostile.helperChain(90) }]))).toHaveLength(1);
    const deep = runAnalysis([{ path: "h.py", text: hostile.helperChain(150) }]);
    expect(deep.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/calls nested more than 100 deep/),
    ]);
  });
});

/** A model wrapper handed through `wrappers` constructors (`Runner(H2(H1(Llm())))`) before its output is exec()d. */
function wrappedModel(wrappers: number): string {
  const lines = [
    "from openai import OpenAI",
    "class Llm:",
    "    def ask(self, q):",
    "        return OpenAI().chat.completions.create(model='m', messages=[q]).choices[0].message.content",
  ];
  for (let i = 1; i <= wrappers; i++)
    lines.push(
      `class H${i}:`,
      "    def __init__(self, inner):",
      "        self.inner = inner",
      "    def ask(self, q):",
      "        return self.inner.ask(q)",
    );
  lines.push(
    "class Runner:",
    "    def __init__(self, llm):",
    "        self.llm = llm",
    "    def run(self):",
    "        exec(self.llm.ask('code'))",
  );
  let built = "Llm()";
  for (let i = 1; i <= wrappers; i++) built = `H${i}(${built})`;
  lines.push(`Runner(${built}).run()`, "");
  return lines.join("\n");
}

describe("hostile input: objects handed through many constructors", () => {
  it("are followed five wrappers deep; deeper chains are named as not fully analysed, not dropped silently", () => {
    expect(ids(runAnalysis([{ path: "w.py", text: wrappedModel(5) }]))).toHaveLength(1);
    const deep = runAnalysis([{ path: "w.py", text: wrappedModel(9) }]);
    expect(ids(deep)).toEqual([]);
    expect(incompleteFiles(deep)).toEqual([expect.objectContaining({ path: "w.py", incomplete: "part" })]);
    expect(deep.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/objects passed into constructors more than 6 deep/),
    ]);
  });
});

describe("hostile input: line breaks as CPython counts them", () => {
  it("a lone CR ends a comment: the code after it is analysed, on CPython's line", () => {
    const text = `import openai  # client\rr = openai.OpenAI().chat.completions.create(model="m", messages=[]).choices[0].message.content\rexec(r)\n`;
    expect(ids(runAnalysis([{ path: "cr.py", text }]))).toEqual(["VNX-LLM-002@3"]);
    const crlf = text.replaceAll("\r", "\r\n");
    expect(ids(runAnalysis([{ path: "crlf.py", text: crlf }]))).toEqual(["VNX-LLM-002@3"]);
  });

  it("a BOM and form feeds change neither findings nor positions", () => {
    const text = `\uFEFF${MODEL_CALL}\f\nexec(r)\n`;
    const result = runAnalysis([{ path: "bom.py", text }]);
    expect(result.findings.map((f) => [f.location.startLine, f.location.startColumn])).toEqual([[4, 6]]);
  });
});

describe("time budget", () => {
  // A clock that advances 1 ms each time it is read: budgets are spent deterministically.
  const tickingClock = () => {
    let now = 0;
    return () => now++;
  };

  it("a file past its budget is cut off and named; the next file is still analysed", () => {
    const slow = hostile.variablesThenIfs(3000);
    const result = runAnalysis(
      [
        { path: "a_slow.py", text: slow },
        { path: "b_ok.py", text: `${MODEL_CALL}exec(r)\n` },
      ],
      { budget: { clock: tickingClock(), fileMs: 2, totalMs: 1_000_000 } },
    );
    expect(incompleteFiles(result)).toEqual([
      {
        path: "a_slow.py",
        incomplete: "part",
        reason: expect.stringMatching(/exceeded the time budget of 2 ms/),
      },
    ]);
    expect(ids(result)).toContain("VNX-LLM-002@3");
  });

  it("past the analysis's budget the files not begun are named as not analysed", () => {
    const files = ["a", "b", "c"].map((n) => ({ path: `${n}.py`, text: hostile.variablesThenIfs(3000) }));
    const result = runAnalysis(files, { budget: { clock: tickingClock(), fileMs: 1_000_000, totalMs: 3 } });
    const named = incompleteFiles(result);
    expect(named.map((f) => f.path)).toEqual(["a.py", "b.py", "c.py"]);
    expect(named.filter((f) => f.incomplete === "file").length).toBeGreaterThan(0);
  });
});

describe("suppressions", () => {
  const sink = (suffix: string) => `${MODEL_CALL}exec(r)${suffix}\nexec(r)\n`;

  it("a trailing comment covers its own line only", () => {
    const result = runAnalysis([
      { path: "s.py", text: sink("  # rce-guard: ignore[VNX-LLM-002] sandboxed") },
    ]);
    expect(result.suppressed.map((f) => f.location.startLine)).toEqual([3]);
    expect(ids(result)).toEqual(["VNX-LLM-002@4"]);
  });

  it("a comment alone on a line covers the next line", () => {
    const text = `${MODEL_CALL}# rce-guard: ignore[VNX-LLM-002] sandboxed\nexec(r)\nexec(r)\n`;
    const result = runAnalysis([{ path: "s.py", text }]);
    expect(result.suppressed.map((f) => f.location.startLine)).toEqual([4]);
    expect(ids(result)).toEqual(["VNX-LLM-002@5"]);
    expect(result.diagnostics).toEqual([]);
  });

  it("unknown ids, lowercase ids, misspelled keywords and unused suppressions are warnings", () => {
    const text = [
      MODEL_CALL.trimEnd(),
      "exec(r)  # rce-guard: ignore[VNX-LLM-020] typo",
      "exec(r)  # rce-guard: ignore[vnx-llm-002] lowercase",
      "exec(r)  # rce-guard: ignroe[VNX-LLM-002] misspelled",
      "x = 1  # rce-guard: ignore[VNX-LLM-002] nothing here",
      "",
    ].join("\n");
    const result = runAnalysis([{ path: "s.py", text }]);
    expect(ids(result)).toEqual(["VNX-LLM-002@3", "VNX-LLM-002@4", "VNX-LLM-002@5"]);
    expect(result.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [3, "warning", expect.stringMatching(/unknown rule id `VNX-LLM-020`/)],
      [4, "warning", expect.stringMatching(/unknown rule id `vnx-llm-002`.*did you mean `VNX-LLM-002`/)],
      [5, "warning", expect.stringMatching(/not a suppression comment/)],
      [3, "warning", expect.stringMatching(/unused suppression/)],
      [4, "warning", expect.stringMatching(/unused suppression/)],
      [6, "warning", expect.stringMatching(/unused suppression/)],
    ]);
  });
});
