import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { ApiClues, codeText, readCode } from "../../src/engine/clues.js";

describe("codeText", () => {
  it("drops comments, docstrings and plain string contents", () => {
    const text = [
      '"""Never eval() what a user sends."""',
      "import os  # os.system is banned here",
      "x = 'exec(1)' + \"system\"",
      "y = '''",
      "eval",
      "'''",
      "z = b'eval' + r\"exec\\\"\" + u'vars'",
    ].join("\n");
    const code = codeText(text);
    expect(code).not.toMatch(/eval|exec|system|vars/);
    expect(code).toContain("import os");
    expect(code).toContain("z = ");
  });

  it("keeps f-strings, whose fields are code", () => {
    expect(codeText('print(f"{eval(x)}")')).toContain("eval(x)");
    expect(codeText("print(rf'{os.system(c)}')")).toContain("os.system(c)");
    expect(codeText('print(Fr"""{exec(s)}""")')).toContain("exec(s)");
  });

  it("does not take the end of an identifier for a string prefix", () => {
    // `elif` ends in f; the string after it is plain.
    expect(codeText('if x: pass\nelif"eval": pass')).not.toContain("eval");
  });

  it("survives unterminated strings and a lone quote at the end", () => {
    expect(codeText("x = 'eval\nexec(y)\n")).toContain("exec(y)");
    expect(codeText('x = """never closed eval')).not.toContain("eval");
    expect(codeText("'")).toBe('""');
  });
});

describe("ApiClues", () => {
  const sinks = new ApiClues(true);
  sinks.add("pickle.loads");
  sinks.add("os.system");
  sinks.add("code.InteractiveConsole().push");
  sinks.addImported("pandas", "query");

  it("needs both the import and the API's name for a module most files do not import", () => {
    expect(sinks.matches(readCode("import pickle\ndata = pickle.loads(blob)"))).toBe(true);
    expect(sinks.matches(readCode("from pickle import loads as l"))).toBe(true);
    expect(sinks.matches(readCode("import pickle\nblob = pickle.dumps(data)"))).toBe(false);
    expect(sinks.matches(readCode("loads(blob)"))).toBe(false);
  });

  it("takes the name alone for modules every file imports", () => {
    expect(sinks.matches(readCode("import os\nos.system(cmd)"))).toBe(true);
    expect(sinks.matches(readCode("from os import system"))).toBe(true);
    expect(sinks.matches(readCode("import os\nos.path.join(a, b)"))).toBe(false);
    expect(sinks.matches(readCode("console.push(line)"))).toBe(true);
  });

  it("asks for the import a method sink is conditioned on", () => {
    expect(sinks.matches(readCode("import pandas as pd\ndf.query(expr)"))).toBe(true);
    expect(sinks.matches(readCode("db.query(sql)"))).toBe(false);
  });

  it("asks only for the import when names are not required (sources)", () => {
    const sources = new ApiClues(false);
    sources.add("openai.OpenAI().chat.completions.create()");
    expect(sources.matches(readCode("from openai import OpenAI"))).toBe(true);
    expect(sources.matches(readCode("import json"))).toBe(false);
  });

  it("takes no import of a module the project holds for a clue: its code is interpreted instead", () => {
    const sources = new ApiClues(false);
    sources.add("metagpt.provider.base_llm.BaseLLM().{aask}()");
    sources.addImported("pandas", "query");
    const view = readCode("from metagpt.utils.common import read_json_file");
    expect(sources.matches(view)).toBe(true);
    expect(sources.matches(view, (dotted) => dotted === "metagpt.provider.base_llm")).toBe(false);
    // The project holds another module of the package, not the API's.
    expect(sources.matches(view, (dotted) => dotted === "metagpt.utils.common")).toBe(true);
    // A method known only by the import it is conditioned on: its module is unknown, never the project's.
    expect(sources.matches(readCode("import pandas\ndf.query(q)"), () => true)).toBe(true);
  });
});

describe("the relevance filter", () => {
  it("does not make every module of a package that holds a model row's API a candidate", () => {
    const files = [
      { path: "metagpt/__init__.py", text: "" },
      {
        path: "metagpt/provider/base_llm.py",
        text: "class BaseLLM:\n    def aask(self, prompt):\n        return prompt\n",
      },
      {
        path: "metagpt/configs/redis_config.py",
        text: "from metagpt.provider.base_llm import BaseLLM\n\nclass RedisConfig:\n    port = 6379\n",
      },
    ];
    expect(runAnalysis(files).stats.interpreted).toBe(0);
    // Without MetaGPT's code in the scan, the row is what there is to know: its importers are candidates.
    expect(runAnalysis(files.slice(2)).stats.interpreted).toBe(1);
  });

  it("makes the direct importers of a module defining tools candidates, not the whole package", () => {
    const files = [
      { path: "pkg/__init__.py", text: "from semantic_kernel.functions import kernel_function\n" },
      { path: "pkg/const.py", text: "import pkg\nROOT = '/srv'\n" },
      { path: "pkg/logs.py", text: "from pkg.const import ROOT\nLOG = ROOT + '/log'\n" },
    ];
    const { stats } = runAnalysis(files);
    // __init__ (it could define a tool) and const (it imports it); logs is two imports away.
    expect(stats.interpreted).toBe(2);
  });
  it("does not let prose in a docstring make a module an entry, and loses no finding for it", () => {
    // No sink in code: the module is not interpreted at all.
    const prose = runAnalysis([
      { path: "notes.py", text: '"""Do not eval() or os.system() anything."""\nx = 1\n' },
    ]);
    expect(prose.stats.interpreted).toBe(0);
    // The same words as code are found.
    const real = runAnalysis([
      {
        path: "agent.py",
        text: "from openai import OpenAI\nc = OpenAI()\ncode = c.responses.create(model='m', input='q').output_text\neval(code)\n",
      },
    ]);
    expect(real.findings.map((f) => f.sinkCallee)).toEqual(["eval"]);
  });
});
