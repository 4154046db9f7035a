import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/types.js";
import { addedLines, parsePatch } from "../../src/github/diff.js";
import { RepositoryFiles } from "../../src/app/repository-files.js";
import { MAX_SUMMARY, toCheckRunReport } from "../../src/report/check-run.js";
import { buildSuggestion, fenceFor, planReview } from "../../src/report/review.js";
import { parseConfig } from "../../src/config.js";
import { unifiedPatch } from "./support/patch.js";

describe("hunk map", () => {
  it("reads added and commentable RIGHT lines per hunk, ignoring the no-newline marker", () => {
    const patch =
      "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n-y\n+Y\n\\ No newline at end of file";
    const map = parsePatch(patch);
    expect(map.added).toEqual([
      [2, 3],
      [12, 12],
    ]);
    expect([...map.hunkOf]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [11, 1],
      [12, 1],
    ]);
  });

  it("recomputes added lines from base and head (Myers) when GitHub omits the patch", () => {
    const base = "a\nb\nc\nd\ne\n";
    const head = "a\nX\nc\nd\nY\nZ\ne\n";
    expect(addedLines(base, head)).toEqual([
      [2, 2],
      [5, 6],
    ]);
    expect(parsePatch(unifiedPatch(base, head)!).added).toEqual(addedLines(base, head));
  });
});

describe("imports", () => {
  const repository = (paths: string[]) =>
    new RepositoryFiles(
      { blobs: new Map(paths.map((path) => [path, { path, size: 10 }])), truncated: false },
      [],
    );

  it("resolves absolute, from-package and relative imports against the tree", () => {
    const files = repository([
      "app/__init__.py",
      "app/helpers.py",
      "app/sub/tool.py",
      "lib.py",
      "src/core/x.py",
    ]);
    const text =
      "import lib, os\nfrom app import helpers\nfrom .sub import (\n    tool,\n)\nfrom core import x\n";
    expect(files.importedModules([{ path: "app/main.py", text }]).sort()).toEqual([
      "app/__init__.py",
      "app/helpers.py",
      "app/sub/tool.py",
      "lib.py",
      "src/core/x.py",
    ]);
  });

  it("reads a bare import inside a package as a top-level module, not a neighbour named like it", () => {
    // Python 3 has no implicit relative imports: `import openai` in pkg/llm/runner.py is the SDK.
    const files = repository(["pkg/__init__.py", "pkg/llm/__init__.py", "pkg/llm/openai.py"]);
    const text = "import openai\nfrom . import openai as local\n";
    expect(files.importedModules([{ path: "pkg/llm/runner.py", text: "import openai\n" }])).toEqual([]);
    expect(files.importedModules([{ path: "pkg/llm/runner.py", text }])).toEqual([
      "pkg/llm/__init__.py",
      "pkg/llm/openai.py",
    ]);
  });

  it("leaves out installed code and imports in comments or strings", () => {
    const files = repository([".venv/lib/helpers.py", "venv2/pyvenv.cfg", "venv2/tools.py", "docs.py"]);
    const text = '"""import docs"""\n# import docs\nimport helpers, tools\n';
    expect(files.importedModules([{ path: "main.py", text }])).toEqual([]);
    expect(files.pythonPaths).toEqual(["docs.py"]);
  });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "VNX-DESER-002",
    severity: "medium",
    confidence: "high",
    cwe: [502],
    message: "yaml.load can construct objects",
    location: { path: "a.py", startLine: 2, startColumn: 12, endLine: 2, endColumn: 12 },
    sinkCallee: "yaml.load",
    provenance: "parameter",
    trace: [],
    remediation: "Use yaml.safe_load.",
    helpUri: "https://example.invalid/rule",
    fingerprint: "fp1",
    fix: {
      description: "Use yaml.safe_load",
      safety: "safe",
      edits: [
        { span: { startLine: 2, startColumn: 10, endLine: 2, endColumn: 18 }, replacement: "yaml.safe_load" },
      ],
    },
    ...overrides,
  };
}

describe("review comments", () => {
  it("turns a fix into a suggestion for exactly the commented line, with a safe fence", () => {
    const text = "import yaml\nx = 1 + (yaml.load(s))\n";
    expect(buildSuggestion(text, 2, 2, finding().fix!.edits)).toBe("x = 1 + (yaml.safe_load(s))");
    expect(buildSuggestion(text, 1, 1, finding().fix!.edits)).toBeUndefined();
    expect(fenceFor("a ``` b")).toBe("````");
  });

  it("never comments off the diff: falls back to the body", () => {
    const plan = planReview({
      findings: [finding()],
      known: new Set(),
      commentable: new Map([["a.py", new Map([[5, 0]])]]),
      texts: new Map([["a.py", "import yaml\nx = 1 + (yaml.load(s))\n"]]),
      maxComments: 20,
      commentMinSeverity: "medium",
      headSha: "abcdef1234567",
      fileUrl: (p, l) => `u/${p}#L${l}`,
    });
    expect(plan?.comments).toEqual([]);
    expect(plan?.body).toContain("no line of the trace is inside the diff");
    expect(plan?.body).toContain("<!-- rce-guard:fingerprint=fp1 -->");
  });
});

describe("check-run summary", () => {
  it("stays within 65,535 characters with a note when there are too many findings", () => {
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding({
        fingerprint: `fp${i}`,
        message: "m".repeat(80),
        location: {
          path: `dir/file_${i}.py`,
          startLine: i + 1,
          startColumn: 1,
          endLine: i + 1,
          endColumn: 2,
        },
      }),
    );
    const report = toCheckRunReport({
      result: {
        findings,
        suppressed: [],
        diagnostics: [],
        stats: { files: 1, bytes: 1, parseErrors: 0, interpreted: 1, interpretedBytes: 1, steps: 1 },
      },
      config: parseConfig("").config,
      configLayers: [],
      configProblems: [],
      configEditedInPr: false,
      skipped: [],
      changedFiles: 3000,
      analysedFiles: 3000,
      fileUrl: (p, l) => `https://github.com/o/r/blob/sha/${p}#L${l}`,
    });
    expect(report.summary.length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(report.summary).toMatch(/\d+ more findings not shown here/);
    expect(report.annotations).toHaveLength(3000);
    expect(report.conclusion).toBe("success");
  });
});
