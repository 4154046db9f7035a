import { describe, expect, it } from "vitest";
import { definesAtTop } from "../../src/engine/interpreter/loaded-modules.js";
import { runAnalysis } from "../../src/run-analysis.js";

describe("a module loaded by a computed name", () => {
  it("is matched to the project's top-level definitions of the attribute read on it", () => {
    // The names the line-anchored regex `^(?:class|(?:async[ \t]+)?def)[ \t]+NAME\b` finds, and no others.
    const text = [
      "class Workflow(Base):",
      "async  def\tsolve(x): ...",
      "def run(): ...",
      "    def nested(self): ...",
      "x = 'def quoted'",
      "classic = 1",
      "def running(): ...",
      "class\tTabbed: ...",
    ].join("\r\n");
    for (const name of ["Workflow", "solve", "run", "Tabbed", "running"])
      expect(definesAtTop(text, name)).toBe(true);
    for (const name of ["nested", "quoted", "classic", "Work", "runn", "Base", ""])
      expect(definesAtTop(text, name)).toBe(false);
  });

  it("is not followed into the project's modules where model output cannot travel", () => {
    const files = [
      {
        path: "plugins.py",
        text: "import importlib\nimport pickle\n\ndef load(name, blob):\n    mod = importlib.import_module(name)\n    mod.open(blob)\n    return pickle.loads(blob)\n",
      },
      { path: "gzipish.py", text: "def open(path):\n    return path\n" },
      { path: "bz2ish.py", text: "def open(path):\n    return path\n" },
    ];
    // plugins.py is analysed for its deserializer; the modules defining `open` are not interpreted for it.
    expect(runAnalysis(files).stats.interpreted).toBe(1);
  });
});
