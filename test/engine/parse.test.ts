import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import {
  ParseTimeout,
  parsePython,
  parsePythonWithCursor,
  parsePythonWithExport,
  treeSource,
} from "../../src/engine/parse.js";
import type { SyntaxNode } from "../../src/engine/syntax.js";

const ROOT = join(import.meta.dirname, "..", "..");

function pythonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".py")) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Every property the interpreter reads, for the whole tree, as one comparable value. */
function shape(node: SyntaxNode): unknown {
  return [
    node.type,
    node.field,
    node.isNamed,
    node.isMissing,
    node.startIndex,
    node.endIndex,
    node.children.map(shape),
  ];
}

// Inputs chosen for what the two builders could get wrong: error recovery (ERROR and MISSING nodes), text
// outside the BMP and lone surrogates (UTF-16 offsets), f-strings (descended) and plain strings (not), and
// nesting deeper than any recursion limit.
const EDGE_CASES: Record<string, string> = {
  empty: "",
  "only a comment": "# nothing here\n",
  "unclosed call": "exec(client.chat(\n",
  "missing colon": "def f(x)\n    return x\n",
  "stray tokens": "x = = 1\n)))\nprint(x)\n",
  "astral characters": 's = "😀😀" + f"{x}😀{y!r:>{w}}"\nexec(s)\n',
  "lone surrogate": `s = "\uD800"\nexec(s)\n`,
  "string kinds": "a = b'x' r'y' u'z'\nb = f'''{a}\n{b}'''\nc = rb'q' F'{c}'\n",
  "deep nesting": `x = ${"(".repeat(400)}1${")".repeat(400)}\n`,
  "python 2": 'print "hello"\nexec "code" in ns\n',
};

describe("parsePython", () => {
  it("uses the native tree export when it is built (npm ci builds it; see native/)", () => {
    expect(treeSource).toBe("native export");
  });

  it("gives the same tree as the cursor walk through the tree-sitter binding, on every example file", () => {
    const files = [...pythonFilesUnder(join(ROOT, "rules")), ...pythonFilesUnder(join(ROOT, "examples"))];
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const exported = parsePythonWithExport(text);
      const walked = parsePythonWithCursor(text);
      expect({ file, tree: shape(exported!.root), error: exported!.firstError }).toEqual({
        file,
        tree: shape(walked.root),
        error: walked.firstError,
      });
    }
  });

  it.each(Object.entries(EDGE_CASES))("gives the same tree as the cursor walk: %s", (_name, text) => {
    const exported = parsePythonWithExport(text)!;
    const walked = parsePythonWithCursor(text);
    expect(shape(exported.root)).toEqual(shape(walked.root));
    expect(exported.firstError).toEqual(walked.firstError);
  });

  it("builds any function's subtree again from the records, the same as in the whole tree", () => {
    const files = [...pythonFilesUnder(join(ROOT, "rules")), ...Object.values(EDGE_CASES)];
    let functions = 0;
    for (const file of files) {
      const text = file.endsWith(".py") ? readFileSync(file, "utf8") : file;
      const tree = parsePythonWithExport(text)!;
      for (const type of ["function_definition", "lambda", "class_definition"]) {
        for (const node of tree.root.descendantsOfType(type)) {
          const again = tree.regrow!(node.startIndex, node.endIndex, node.type);
          expect(again?.parent).toBeNull();
          expect(shape(again!)).toEqual(shape(node));
          functions++;
        }
      }
      expect(tree.regrow!(0, text.length + 1, "module")).toBeUndefined();
    }
    expect(functions).toBeGreaterThan(200);
  });

  it("reports the first syntax error and keeps the statements around it", () => {
    const parsed = parsePython("import os\nos.system(x)\nx = = 1\nexec(y)\n");
    expect(parsed.firstError).toEqual({ line: 3, column: 5 });
    const calls = parsed.root.descendantsOfType("call").map((c) => c.text);
    expect(calls).toEqual(["os.system(x)", "exec(y)"]);
  });

  it("gives offsets that index the JavaScript string, past characters outside the BMP", () => {
    const text = 's = "😀"\nexec(s)\n';
    const call = parsePython(text).root.descendantsOfType("call")[0]!;
    expect(call.text).toBe("exec(s)");
    expect(call.startPosition).toEqual({ row: 1, column: 0 });
  });
});

describe("parse time limit (native export)", () => {
  it("a parse past its time limit stops with ParseTimeout, and the next parse starts afresh", () => {
    // Comment runs between statements are quadratic for tree-sitter-python (the engine blanks them first).
    const slow = `x = 1\n${"# a comment line\n".repeat(20_000)}y = 2\n`;
    expect(() => parsePythonWithExport(slow, 20)).toThrow(ParseTimeout);
    const tree = parsePythonWithExport("a = 1\nb = 2\n", 10_000)!;
    expect(tree.root.namedChildren.map((c) => c.type)).toEqual([
      "expression_statement",
      "expression_statement",
    ]);
  });

  it("the analysis names a file whose parse outlasts the budget (and the 250 ms every parse gets) as not analysed", () => {
    const text = `import openai\nr = openai.OpenAI().responses.create().output_text\nx = (\n${"# c\n".repeat(1)}${"1,\n".repeat(2_000_000)})\nexec(r)\n`;
    const result = runAnalysis([{ path: "slow.py", text }], {
      maxFileBytes: 16 << 20,
      budget: { clock: () => performance.now(), fileMs: 5, totalMs: 60_000 },
    });
    expect(result.diagnostics.filter((d) => d.incomplete)).toEqual([
      expect.objectContaining({
        path: "slow.py",
        incomplete: "file",
        message: expect.stringMatching(/while parsing slow.py/),
      }),
    ]);
  });
});
