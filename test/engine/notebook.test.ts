import { describe, expect, it } from "vitest";
import { runAnalysis, runAnalysisAsync } from "../../src/run-analysis.js";
import { seededRandom } from "../support/prng.js";
import { notebookToPython } from "../../src/engine/notebook.js";
import {
  lineOf,
  notebookText,
  sourceLines,
  THREE_CELL_FLOW,
  THREE_CELL_PLACES,
} from "../support/notebook.js";

function python(text: string): string {
  const conversion = notebookToPython(text);
  if (conversion.kind !== "python") throw new Error(`not converted: ${JSON.stringify(conversion)}`);
  return conversion.code.python;
}

describe("notebookToPython", () => {
  it("joins the code cells in order, one line per source line, with magics made Python", () => {
    const text = notebookText([
      { cell_type: "markdown", source: "# Title" },
      {
        cell_type: "code",
        source: sourceLines("%pip install x\nimport os\nfiles = !ls\nfor f in files:\n    !echo {f}"),
      },
      { cell_type: "raw", source: "raw" },
      { cell_type: "code", source: sourceLines("%%bash\nrm -rf (((") },
      { cell_type: "code", source: sourceLines("%%timeit -n 1\nos.system('ls')") },
      { cell_type: "code", source: "x = 1\r\ny = 2" },
    ]);
    expect(python(text)).toBe(
      [
        "pass",
        "import os",
        "pass",
        "for f in files:",
        "    pass",
        "",
        "",
        "",
        "os.system('ls')",
        "x = 1",
        "y = 2",
        "",
      ].join("\n"),
    );
    const conversion = notebookToPython(text);
    if (conversion.kind !== "python") throw new Error("not converted");
    // Cells count every cell (the markdown one is cell 1), as a notebook editor numbers them.
    expect(conversion.code.cellLines.map((c) => `${c.cell}:${c.line}`)).toEqual([
      "2:1",
      "2:2",
      "2:3",
      "2:4",
      "2:5",
      "4:1",
      "4:2",
      "5:1",
      "5:2",
      "6:1",
      "6:2",
    ]);
  });

  it("reads nbformat 3 (worksheets, code under `input`)", () => {
    const text = JSON.stringify({
      worksheets: [{ cells: [{ cell_type: "code", input: ["import os\n", "os.system(cmd)"] }] }],
      metadata: { language: "python" },
      nbformat: 3,
    });
    expect(python(text)).toBe("import os\nos.system(cmd)\n");
  });

  it("names what is not a notebook, and notebooks of other languages, without throwing", () => {
    expect(notebookToPython('{"cells": [')).toMatchObject({ kind: "invalid", reason: /^not valid JSON/ });
    expect(notebookToPython("[]")).toMatchObject({ kind: "invalid", reason: /not an object/ });
    expect(notebookToPython("{}")).toMatchObject({ kind: "invalid", reason: /no cells/ });
    expect(notebookToPython('{"cells": [1]}')).toMatchObject({
      kind: "invalid",
      reason: /cell 1 is not an object/,
    });
    expect(notebookToPython('{"cells": [{"cell_type": "code", "source": 3}]}')).toMatchObject({
      kind: "invalid",
      reason: /cell 1: "source" is not text/,
    });
    expect(notebookToPython(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toMatchObject({
      kind: "invalid",
    });
    expect(notebookToPython(notebookText([{ cell_type: "code", source: "x <- 1" }], "R"))).toEqual({
      kind: "other-language",
      language: "R",
    });
  });
});

describe("notebookToPython on mangled notebooks (seeded)", () => {
  it("never throws; what converts maps every character to an offset inside the notebook", () => {
    const random = seededRandom(12);
    const original = notebookText(THREE_CELL_FLOW);
    const alphabet = ['"', "\\", "[", "]", "{", "}", ",", ":", "\n", "a", "%", "!", "u", "0"];
    for (let round = 0; round < 400; round++) {
      const chars = [...original];
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const pick = alphabet[Math.floor(random() * alphabet.length)] as string;
        if (random() < 0.5) chars.splice(at, 1);
        else chars.splice(at, 0, pick);
      }
      const text = chars.join("");
      const conversion = notebookToPython(text);
      if (conversion.kind !== "python") continue;
      const { python, offsets, cellLines } = conversion.code;
      expect(offsets.length).toBe(python.length);
      expect(cellLines.length).toBe(python.split("\n").length - 1);
      for (const offset of offsets) expect(offset >= 0 && offset <= text.length).toBe(true);
    }
  });
});

describe("a notebook in the analysis", () => {
  const text = notebookText(THREE_CELL_FLOW);
  const { source, sink, call } = THREE_CELL_PLACES;

  it("finds the example flow split over three cells, at the right cell and line", () => {
    const { findings, diagnostics } = runAnalysis([{ path: "notebooks/plan.ipynb", text }]);
    expect(diagnostics).toEqual([]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    const sinkLine = lineOf(text, "exec(compile(source");
    expect(finding).toMatchObject({
      ruleId: "VNX-LLM-002",
      message: `Output of \`client.messages.create\` (cell ${source.cell} line ${source.line}) reaches \`exec\` (cell ${sink.cell} line ${sink.line}): code execution controlled by the model.`,
      location: {
        path: "notebooks/plan.ipynb",
        // The .ipynb's own line and columns: `    "    exec(compile(source, \"<step>\", \"exec\"))"`.
        startLine: sinkLine,
        startColumn: 15,
        endLine: sinkLine,
        endColumn: 51,
        cell: {
          cell: sink.cell,
          startLine: sink.line,
          startColumn: sink.column,
          endLine: sink.line,
          endColumn: 42,
        },
      },
    });
    expect(finding?.fix).toBeUndefined();
    expect(finding?.trace.map((s) => [s.location.cell?.cell, s.location.cell?.startLine])).toEqual([
      [source.cell, source.line],
      [source.cell, source.line],
      [2, 10],
      [call.cell, call.line],
      [3, 2],
      [3, 4],
      [sink.cell, sink.line],
    ]);
    expect(finding?.trace[3]?.location.startLine).toBe(lineOf(text, "run_step(reply)"));
  });

  it("gives the same result asynchronously", async () => {
    const result = await runAnalysisAsync([{ path: "plan.ipynb", text }]);
    expect(result.findings).toEqual(runAnalysis([{ path: "plan.ipynb", text }]).findings);
  });

  it("reads a pull request's changed lines of the .ipynb as lines of its code", () => {
    const files = [{ path: "plan.ipynb", text }];
    const callLine = lineOf(text, "run_step(reply)");
    expect(
      runAnalysis(files, { changedLines: new Map([["plan.ipynb", [[callLine, callLine]]]]) }).findings,
    ).toHaveLength(1);
    // Only the markdown cell changed: no code line did.
    const title = lineOf(text, "# Plan and run");
    expect(
      runAnalysis(files, { changedLines: new Map([["plan.ipynb", [[title, title]]]]) }).findings,
    ).toEqual([]);
  });

  it("names a notebook it cannot read as not analysed (fail closed), and skips other languages with a note", () => {
    const { diagnostics, findings } = runAnalysis([
      { path: "broken.ipynb", text: text.slice(0, 200) },
      { path: "r.ipynb", text: notebookText([{ cell_type: "code", source: "system(x)" }], "R") },
    ]);
    expect(findings).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: "broken.ipynb",
        incomplete: "file",
        message: expect.stringMatching(/^not analysed: not valid JSON/),
      }),
      { path: "r.ipynb", severity: "note", message: "skipped: a R notebook, not Python" },
    ]);
  });

  it("maps a syntax error to the notebook's line and names the cell", () => {
    const broken = notebookText([
      { cell_type: "code", source: "from openai import OpenAI" },
      { cell_type: "code", source: sourceLines("def f(:\n    pass") },
    ]);
    const { diagnostics } = runAnalysis([{ path: "b.ipynb", text: broken }]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: "b.ipynb",
        line: lineOf(broken, "def f(:"),
        message: expect.stringContaining("cell 2, line 1"),
      }),
    ]);
  });
});
