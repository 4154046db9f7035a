// The sink-side fallback (`sink_side_fallback`): what it reports, what it leaves alone, and that it is off
// by default. Each project is a small package laid out as real ones are (an __init__.py, a module that calls
// the model, a module that executes what it is given).
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { DEFAULT_CONFIG } from "../../src/config.js";
import type { SourceFile } from "../../src/engine/index.js";

const ON = { ...DEFAULT_CONFIG, sinkSideFallback: true };

const LLM = `from openai import OpenAI
client = OpenAI()

def generate(prompt):
    return client.chat.completions.create(model="m", messages=[]).choices[0].message.content
`;

// A pipeline step: the framework hands it the previous step's output; no caller is in the scanned code.
const EXECUTOR = `from app.llm import generate

class CodeExecution:
    def execute(self, code):
        env = {}
        exec(code, env)
        return env.get("result")

    def load_module(self, name):
        import importlib
        return importlib.import_module(name)
`;

function project(executor: string, extra: SourceFile[] = []): SourceFile[] {
  return [
    { path: "app/__init__.py", text: "" },
    { path: "app/llm.py", text: LLM },
    { path: "app/pipeline/execution.py", text: executor },
    ...extra,
  ];
}

const vnx002 = (files: SourceFile[], config = ON) =>
  runAnalysis(files, { config }).findings.filter((f) => f.ruleId === "VNX-LLM-002");

describe("sink-side fallback", () => {
  it("is off by default", () => {
    expect(vnx002(project(EXECUTOR), DEFAULT_CONFIG)).toEqual([]);
  });

  it("reports exec of a parameter in a module that carries model output, as high / low confidence", () => {
    const findings = vnx002(project(EXECUTOR));
    expect(findings.map((f) => [f.location.path, f.location.startLine, f.severity, f.confidence])).toEqual([
      ["app/pipeline/execution.py", 6, "high", "low"],
    ]);
    expect(findings[0]!.message).toContain("no caller was followed to the model");
  });

  it("leaves import_module(name) alone: a module name picks installed code, it does not run a file", () => {
    expect(vnx002(project(EXECUTOR)).some((f) => f.location.startLine === 11)).toBe(false);
  });

  it("says nothing when every application caller passes data of no origin", () => {
    const caller = {
      path: "app/pipeline/run.py",
      text: `from app.pipeline.execution import CodeExecution\n\ndef main():\n    CodeExecution().execute("result = 1 + 1")\n`,
    };
    expect(vnx002(project(EXECUTOR, [caller]))).toEqual([]);
  });

  it("still reports when a caller passes its own parameter on, and tests' calls are no evidence", () => {
    const callers = [
      {
        path: "app/pipeline/run.py",
        text: `from app.pipeline.execution import CodeExecution\n\ndef run_step(code):\n    return CodeExecution().execute(code)\n`,
      },
      {
        path: "tests/test_execution.py",
        text: `from app.pipeline.execution import CodeExecution\n\ndef test_execute():\n    CodeExecution().execute("result = 2")\n`,
      },
    ];
    const findings = vnx002(project(EXECUTOR, callers));
    expect(findings.map((f) => [f.location.path, f.location.startLine])).toContainEqual([
      "app/pipeline/execution.py",
      6,
    ]);
  });

  it("says nothing in a module that neither calls a model nor imports one that does", () => {
    const plain = EXECUTOR.replace("from app.llm import generate\n", "");
    expect(vnx002(project(plain))).toEqual([]);
  });

  it("says nothing in a package that calls no model", () => {
    const files = project(EXECUTOR).filter((f) => f.path !== "app/llm.py");
    expect(vnx002(files)).toEqual([]);
  });

  it("says nothing in test code", () => {
    const files = [
      { path: "app/__init__.py", text: "" },
      { path: "app/llm.py", text: LLM },
      { path: "app/tests/test_exec.py", text: EXECUTOR },
    ];
    expect(vnx002(files)).toEqual([]);
  });
});
