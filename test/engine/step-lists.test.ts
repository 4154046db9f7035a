// Pipelines built with lists of step objects (interpreter/step-lists.ts): the value carried from step to
// step reaches the steps that execute it, per instance, and pipelines of pipelines stay bounded.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { incompleteFiles } from "../../src/engine/types.js";

const PIPE = [
  "import openai",
  "",
  "class Generate:",
  "    def run(self, data):",
  '        return openai.OpenAI().chat.completions.create(model="m", messages=[]).choices[0].message.content',
  "",
  "class Pipe:",
  "    def __init__(self, steps):",
  "        self.steps = steps",
  "",
  "    def run(self, data):",
  "        for step in self.steps:",
  "            data = step.run(data)",
  "        return data",
  "",
];

const lines = (result: ReturnType<typeof runAnalysis>) =>
  result.findings.filter((f) => f.ruleId === "VNX-LLM-002").map((f) => f.location.startLine);

describe("step lists", () => {
  it("decides each pipeline by the steps it was built with", () => {
    const text = [
      ...PIPE,
      "class Execute:",
      "    def run(self, data):",
      "        exec(data)",
      "",
      "class Replay:",
      "    def run(self, data):",
      "        exec(data)",
      "",
      'Pipe([Generate(), Execute()]).run("question")',
      'Pipe([Replay()]).run("print(1)")',
    ].join("\n");
    expect(lines(runAnalysis([{ path: "p.py", text }]))).toEqual([18]);
  });

  it("bounds pipelines of pipelines and names the file when the bound is hit", () => {
    const build = (depth: number, width: number) => {
      const out = [...PIPE];
      for (let k = 0; k < width; k++)
        out.push(`class Exec${k}:`, "    def run(self, data):", "        exec(data)", "");
      out.push("p0 = Pipe([Generate()])");
      for (let level = 1; level <= depth; level++) {
        const steps = Array.from({ length: width }, (_, k) => `Exec${k}()`).join(", ");
        out.push(`p${level} = Pipe([p${level - 1}, Generate(), ${steps}])`, `p${level}.run("q")`);
      }
      return runAnalysis([{ path: "deep.py", text: out.join("\n") }]);
    };
    const shallow = build(2, 6);
    expect(lines(shallow).length).toBeGreaterThan(0);
    const deep = build(12, 6);
    expect(incompleteFiles(deep).map((f) => [f.path, f.incomplete])).toEqual([["deep.py", "part"]]);
    // Linear in the depth, not width^depth.
    const deeper = build(24, 6);
    expect(deeper.stats.steps / deep.stats.steps).toBeLessThan(3);
  });
});
