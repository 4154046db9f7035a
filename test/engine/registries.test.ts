// Registries of rows of functions (interpreter/dispatch.ts): a row picked by an unknown key may be any row,
// a literal field picks that field of every row, and a registry past its bound is named, not dropped.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";

function registry(rows: number): string {
  const defs: string[] = [];
  const entries: string[] = [];
  for (let i = 0; i < rows; i++) {
    defs.push(`def call_${i}(prompt):\n    return "fixed ${i}"\n`);
    entries.push(`    "m${i}": {"call": call_${i}, "max_tokens": ${i}},`);
  }
  return `import subprocess
from openai import OpenAI

def call_openai(prompt):
    return OpenAI().chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content

${defs.join("\n")}
MODELS = {
${entries.join("\n")}
    "gpt-4o": {"call": call_openai, "max_tokens": 1},
}

def run(name, task):
    subprocess.run(MODELS[name]["call"](task), shell=True)
`;
}

describe("registries of rows", () => {
  it("calls every row's field through an unknown key", () => {
    const text = registry(3);
    const sinkLine = text.split("\n").findIndex((line) => line.includes("subprocess.run(")) + 1;
    const { findings, diagnostics } = runAnalysis([{ path: "app.py", text }]);
    expect(findings.map((f) => [f.ruleId, f.location.startLine])).toEqual([["VNX-LLM-002", sinkLine]]);
    expect(diagnostics.filter((d) => d.incomplete)).toEqual([]);
  });

  it("names the file as cut short when the rows hold more functions than are followed", () => {
    const { findings, diagnostics } = runAnalysis([{ path: "app.py", text: registry(70) }]);
    // The model's row comes after the bound: not followed, and the file says so.
    expect(findings).toEqual([]);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        path: "app.py",
        incomplete: "part",
        message: expect.stringContaining("registry"),
      }),
    );
  });
});
