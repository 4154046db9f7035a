// Jupyter notebooks through the real CLI: found, placed by cell and line in every format, fail closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineOf, notebookText, THREE_CELL_FLOW, THREE_CELL_PLACES } from "../support/notebook.js";
import { reportSchemaErrors, sarifSchemaErrors } from "../report/validators.js";
import { makeProject, runCli } from "./run-cli.js";

const text = notebookText(THREE_CELL_FLOW);
const { source, sink, call } = THREE_CELL_PLACES;
const sinkLine = lineOf(text, "exec(compile(source");
let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = makeProject({ "notebooks/plan.ipynb": text, "notes.md": "not scanned\n" });
});
afterAll(() => project.cleanup());

describe("rce-guard scan on a notebook", () => {
  it("text: names the cell and line of the sink and of each step", async () => {
    const run = await runCli(["scan", "."], project.dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `reaches \`exec\` (cell ${sink.cell} line ${sink.line}): code execution controlled by the model.`,
    );
    expect(run.stdout).toContain(
      `--> notebooks/plan.ipynb cell ${sink.cell} line ${sink.line}, column ${sink.column}`,
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `1\\. notebooks/plan\\.ipynb cell ${source.cell} line ${source.line} +output of \`client\\.messages\\.create\``,
      ),
    );
    expect(run.stdout).toContain(
      `4. notebooks/plan.ipynb cell ${call.cell} line ${call.line}  passed to \`run_step()\``,
    );
  });

  it("json: the cell span beside the .ipynb's own span, valid against the report schema", async () => {
    const run = await runCli(["scan", ".", "--format", "json"], project.dir);
    const report = JSON.parse(run.stdout);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].location).toEqual({
      path: "notebooks/plan.ipynb",
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
    });
  });

  it("sarif: the region is the .ipynb's line; the message and properties name the cell", async () => {
    const run = await runCli(["scan", ".", "--format", "sarif"], project.dir);
    const sarif = JSON.parse(run.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const [result] = sarif.runs[0].results;
    expect(result.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: "notebooks/plan.ipynb", uriBaseId: "%SRCROOT%" },
        region: { startLine: sinkLine, startColumn: 15, endLine: sinkLine, endColumn: 52 },
      },
      message: { text: `(cell ${sink.cell}, line ${sink.line})` },
      properties: { cell: 3, cellStartLine: 8, cellStartColumn: 10, cellEndLine: 8, cellEndColumn: 42 },
    });
    expect(result.message.text).toContain(`(cell ${sink.cell} line ${sink.line})`);
  });

  it("github: the annotation sits on the .ipynb's line and its message starts with the cell", async () => {
    const run = await runCli(["scan", ".", "--format", "github"], project.dir);
    expect(run.stdout).toContain(
      `::error file=notebooks/plan.ipynb,line=${sinkLine},endLine=${sinkLine},col=15,endColumn=51,title=RCE Guard VNX-LLM-002 (critical)::Cell ${sink.cell}, line ${sink.line}: Output of`,
    );
  });

  it("a notebook that is not valid JSON is named as not analysed and the scan exits 3", async () => {
    const broken = makeProject({ "broken.ipynb": text.slice(0, 300) });
    try {
      const run = await runCli(["scan", "."], broken.dir);
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/broken\.ipynb: not analysed: not valid JSON/);
    } finally {
      broken.cleanup();
    }
  });
});
