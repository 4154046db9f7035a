// The one import reader (import-statements.ts) and the one resolver (modules.ts), which the relevance
// filter, the interpreter and the App all use.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { codeText } from "../../src/engine/clues.js";
import { importedModuleNames, readImports } from "../../src/engine/import-statements.js";
import { ModuleTable, moduleEntryOf } from "../../src/engine/modules.js";

const names = (text: string, packageName = "") =>
  importedModuleNames(readImports(codeText(text)), packageName);

describe("import statements", () => {
  it("reads plain, aliased, from, relative, parenthesised and continued imports", () => {
    const text = [
      "import os, app.core as core",
      "from app import helpers as h",
      "from . import llm",
      "from ..tools import (",
      "    shell,  # the runner",
      "    files,",
      ")",
      "from x \\",
      "    import y; import z",
    ].join("\n");
    expect(names(text, "pkg.sub")).toEqual([
      "os",
      "app.core",
      "app",
      "app.helpers",
      "pkg.sub",
      "pkg.sub.llm",
      "pkg.tools",
      "pkg.tools.shell",
      "pkg.tools.files",
      "x",
      "x.y",
      "z",
    ]);
  });

  it("does not read imports in strings or comments", () => {
    expect(names('"""\nimport pickle\n"""\n# from os import system\nx = "import yaml"\n')).toEqual([]);
  });
});

describe("module resolution", () => {
  const table = (paths: string[], projectPaths: string[] = []) =>
    new ModuleTable(paths.map(moduleEntryOf), projectPaths);

  it("never resolves a module to itself, nor a bare name to a neighbour inside a package", () => {
    const modules = table([
      "pkg/__init__.py",
      "pkg/llm/__init__.py",
      "pkg/llm/openai.py",
      "pkg/llm/runner.py",
    ]);
    expect(modules.find("openai", moduleEntryOf("pkg/llm/openai.py"))).toBeUndefined();
    expect(modules.find("openai", moduleEntryOf("pkg/llm/runner.py"))).toBeUndefined();
    expect(modules.find("pkg.llm.openai", moduleEntryOf("pkg/llm/runner.py"))?.path).toBe(
      "pkg/llm/openai.py",
    );
  });

  it("lets a script see its neighbours, and a source root's modules be top-level", () => {
    const modules = table(["scripts/helpers.py", "scripts/run.py", "src/core.py", "deep/lib/x/core.py"]);
    expect(modules.find("helpers", moduleEntryOf("scripts/run.py"))?.path).toBe("scripts/helpers.py");
    expect(modules.find("core", moduleEntryOf("scripts/run.py"))?.path).toBe("src/core.py");
  });

  it("reads which folders are packages from the project's paths, not from the files analysed", () => {
    const analysed = ["pkg/llm/openai.py", "pkg/llm/runner.py"];
    const from = moduleEntryOf("pkg/llm/runner.py");
    // Without the listing the folder looks like a script's, whose neighbours are importable.
    expect(table(analysed).find("openai", from)?.path).toBe("pkg/llm/openai.py");
    expect(
      table(analysed, ["pkg/__init__.py", "pkg/llm/__init__.py", ...analysed]).find("openai", from),
    ).toBe(undefined);
  });
});

describe("import resolution in the analysis", () => {
  // The App analyses the changed files and the modules they import, not every __init__.py of the tree.
  const files = [
    {
      path: "pkg/llm/runner.py",
      text: [
        "import openai",
        "",
        "def run():",
        '    reply = openai.OpenAI().chat.completions.create(model="m", messages=[])',
        "    exec(reply.choices[0].message.content)",
        "",
      ].join("\n"),
    },
    { path: "pkg/llm/openai.py", text: "def OpenAI():\n    return None\n" },
  ];

  it("reads `import openai` inside a package as the SDK when the listing shows the package", () => {
    const projectPaths = ["pkg/__init__.py", "pkg/llm/__init__.py", ...files.map((f) => f.path)];
    const { findings } = runAnalysis(files, { projectPaths });
    expect(findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`)).toEqual([
      "VNX-LLM-002 pkg/llm/runner.py:5",
    ]);
  });

  it("reads it as the neighbour in a script folder (no __init__.py anywhere)", () => {
    expect(runAnalysis(files, { projectPaths: files.map((f) => f.path) }).findings).toEqual([]);
  });
});
