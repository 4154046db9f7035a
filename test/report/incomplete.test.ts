// Files not fully analysed, as each reporter shows them: never a clean result, always named with a reason.
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/engine/types.js";
import { toJsonReport } from "../../src/report/json.js";
import { toSarif } from "../../src/report/sarif.js";
import { exitStatus, notAnalysed } from "../../src/report/scan-report.js";
import { codeFrame, renderText } from "../../src/report/text.js";
import { renderWorkflowCommands } from "../../src/report/workflow-commands.js";
import { execFinding, makeReport } from "./fixtures.js";
import { reportSchemaErrors, sarifSchemaErrors } from "./validators.js";

const plain = pc.createColors(false);

const INCOMPLETE: Diagnostic[] = [
  {
    path: "deep.py",
    severity: "error",
    message: "internal error while analysing: Maximum call stack size exceeded",
    incomplete: "part",
  },
  {
    path: "big.py",
    severity: "warning",
    message: "not analysed: larger than the size limit",
    incomplete: "file",
  },
  { path: "big.py", severity: "warning", message: "a second reason for the same file", incomplete: "file" },
  { path: "vendor/", severity: "note", message: "excluded by config pattern 'vendor'" },
];

describe("files not fully analysed", () => {
  it("decide the exit status: 3 without failing findings, unless allowed; findings at the threshold win", () => {
    const report = makeReport({ diagnostics: INCOMPLETE });
    expect(notAnalysed(report)).toEqual([
      { path: "big.py", reason: "not analysed: larger than the size limit", extent: "file" },
      {
        path: "deep.py",
        reason: "internal error while analysing: Maximum call stack size exceeded",
        extent: "part",
      },
    ]);
    expect(exitStatus(report)).toBe(3);
    expect(exitStatus({ ...report, allowIncomplete: true })).toBe(0);
    expect(exitStatus(makeReport({ diagnostics: INCOMPLETE, findings: [execFinding()] }))).toBe(1);
    expect(exitStatus(makeReport({ diagnostics: INCOMPLETE.slice(3) }))).toBe(0);
  });

  it("text: a Not analysed block (also with --quiet) and a summary that never says just 'No findings'", () => {
    const report = makeReport({ diagnostics: INCOMPLETE });
    const text = renderText(report, { color: false });
    expect(text).toContain(
      [
        "Not analysed (2 files): findings in them would not be reported",
        "  big.py: not analysed: larger than the size limit",
        "  big.py: a second reason for the same file",
        "  deep.py (partly analysed): internal error while analysing: Maximum call stack size exceeded",
      ].join("\n"),
    );
    // Listed once, in the block that matters; the note stays a note.
    expect(text).toContain("Notes (1):\n  note vendor/: excluded by config pattern 'vendor'");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "✖ No findings in what was analysed · 2 files NOT fully analysed · 0 suppressed · 3 files scanned in 0.01s · none at or above high",
    );
    const quiet = renderText(report, { color: false, quiet: true });
    expect(quiet).toContain("Not analysed (2 files)");
    expect(quiet).not.toContain("Notes");
    const allowed = renderText({ ...report, allowIncomplete: true }, { color: false });
    expect(allowed.trimEnd().split("\n").at(-1)).toMatch(
      /^! No findings in what was analysed · 2 files NOT fully analysed \(allowed\) · /,
    );
  });

  it("JSON: notAnalysed, the diagnostics' incomplete field and the gate, valid against the schema", () => {
    const document = toJsonReport(makeReport({ diagnostics: INCOMPLETE }));
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(document)))).toEqual([]);
    expect(document.notAnalysed.map((file) => [file.path, file.extent])).toEqual([
      ["big.py", "file"],
      ["deep.py", "part"],
    ]);
    expect(document.gate).toEqual({
      failOn: "high",
      failed: false,
      failingFindings: 0,
      notAnalysed: 2,
      allowIncomplete: false,
      exitCode: 3,
    });
    expect(document.diagnostics[0]!.incomplete).toBe("part");
  });

  it("SARIF: one notification per diagnostic with a descriptor for incomplete files; the run did not succeed", () => {
    const log = toSarif(makeReport({ diagnostics: INCOMPLETE }));
    expect(sarifSchemaErrors(JSON.parse(JSON.stringify(log)))).toEqual([]);
    const [invocation] = log.runs[0]!.invocations;
    expect(invocation!.executionSuccessful).toBe(false);
    expect(invocation!.exitCode).toBe(3);
    expect(invocation!.toolExecutionNotifications[0]).toEqual({
      level: "error",
      message: { text: "deep.py: internal error while analysing: Maximum call stack size exceeded" },
      descriptor: { id: "partly-analysed" },
      properties: { incomplete: "part" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "deep.py", uriBaseId: "%SRCROOT%" } } }],
    });
    expect(invocation!.toolExecutionNotifications[1]!.descriptor).toEqual({ id: "not-analysed" });
    expect(invocation!.toolExecutionNotifications[3]!.descriptor).toBeUndefined();
    // An internal error fails the run even when nothing is marked incomplete.
    const errored = toSarif(makeReport({ diagnostics: [{ path: "", severity: "error", message: "boom" }] }));
    expect(errored.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(toSarif(makeReport()).runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
  });

  it("GitHub: an annotation per incomplete diagnostic, error while it fails the job, warning when allowed", () => {
    const report = makeReport({ diagnostics: INCOMPLETE });
    const lines = renderWorkflowCommands(report).trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "::error file=deep.py,title=RCE Guard%3A partly analysed%3A deep.py::internal error while analysing: Maximum call stack size exceeded",
      "::error file=big.py,title=RCE Guard%3A not analysed%3A big.py::not analysed: larger than the size limit",
      "::error file=big.py,title=RCE Guard%3A not analysed%3A big.py::a second reason for the same file",
    ]);
    expect(lines.at(-1)).toContain("2 file(s) NOT fully analysed;");
    const allowed = renderWorkflowCommands({ ...report, allowIncomplete: true }).split("\n");
    expect(allowed[1]).toMatch(/^::warning file=big\.py,title=RCE Guard%3A not analysed/);
    expect(allowed[0]).toMatch(/^::error file=deep\.py/);
  });
});

describe("code frame on long lines", () => {
  const long = `${"x".repeat(1000)} = eval(payload)  # ${"y".repeat(1000)}`;
  const column = 1000 + " = eval(".length + 1;
  const span = { startLine: 2, startColumn: column, endLine: 2, endColumn: column + "payload".length - 1 };

  it("cuts the line around the span with … on both sides and keeps the carets under it", () => {
    const frame = codeFrame(`import os\n${long}\n`, span, plain);
    const [, above, line, carets] = frame;
    expect(above).toBe(" 1 | import os");
    expect(line!.length).toBeLessThan(220);
    expect(line).toMatch(/^ 2 \| …x+ = eval\(payload\) {2}# y+…$/);
    expect(carets).toMatch(/^ {3}\| +\^{7}$/);
    expect(carets!.indexOf("^")).toBe(line!.indexOf("payload"));
  });

  it("cuts a long context line in the same window, and a span longer than the window at its edge", () => {
    const wide = { startLine: 2, startColumn: 1, endLine: 2, endColumn: long.length };
    const frame = codeFrame(`${long}\n${long}\n`, wide, plain);
    expect(frame[1]).toMatch(/^ 1 \| x{200}…$/);
    expect(frame[3]).toBe(`   | ${"^".repeat(200)}`);
  });

  it("never splits a surrogate pair", () => {
    const emoji = `${"😀".repeat(300)}eval(x)`;
    const at = emoji.indexOf("eval(") + 1;
    const frame = codeFrame(emoji, { startLine: 1, startColumn: at, endLine: 1, endColumn: at + 3 }, plain);
    expect(frame[1]).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(frame[2]!.endsWith("^^^^")).toBe(true);
  });
});
