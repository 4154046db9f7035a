import { describe, expect, it } from "vitest";
import {
  nestingBeyondCPython,
  pythonSourceText,
  withCommentLinesBlanked,
} from "../../src/engine/source-text.js";

describe("source text as CPython reads it", () => {
  it("a lone CR is a line break; CRLF stays; a BOM goes; the length is kept but for the BOM", () => {
    expect(pythonSourceText("a\rb\r\nc")).toBe("a\nb\r\nc");
    expect(pythonSourceText("\uFEFFx = 1\n")).toBe("x = 1\n");
  });

  it("a form feed before the first token moves to the end of that line's code", () => {
    expect(pythonSourceText("\fimport os  # c\nx = 1\n")).toBe("import os   # c\nx = 1\n");
    expect(pythonSourceText("\f\nimport os\n")).toBe("\f\nimport os\n");
  });

  it("comment-only lines are blanked to spaces, strings and code untouched, offsets kept", () => {
    const text = 'x = 1  # kept\n    # blanked\ns = """\n# inside a string\n"""\nt = "# also a string"\n';
    const blanked = withCommentLinesBlanked(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe(
      'x = 1  # kept\n             \ns = """\n# inside a string\n"""\nt = "# also a string"\n',
    );
    expect(withCommentLinesBlanked("# a\r\n# b\r\nx = 1\r\n")).toBe("   \r\n   \r\nx = 1\r\n");
  });

  it("CPython's nesting limits: 100 indentation levels, 200 brackets; strings and comments do not count", () => {
    const ifs = (d: number) =>
      Array.from({ length: d + 1 }, (_, i) => `${" ".repeat(i)}${i < d ? "if x:" : "pass"}`).join("\n");
    expect(nestingBeyondCPython(ifs(99))).toBeUndefined();
    expect(nestingBeyondCPython(ifs(100))).toMatchObject({ line: 101 });
    expect(nestingBeyondCPython(`x = ${"(".repeat(200)}1${")".repeat(200)}`)).toBeUndefined();
    expect(nestingBeyondCPython(`x = ${"(".repeat(201)}1${")".repeat(201)}`)).toMatchObject({ line: 1 });
    expect(nestingBeyondCPython(`s = "${"(".repeat(500)}"\n# ${"[".repeat(500)}\n`)).toBeUndefined();
    // Inside brackets a line's indentation is not a level.
    expect(
      nestingBeyondCPython(
        `x = [\n${Array.from({ length: 150 }, (_, i) => `${" ".repeat(i)}1,`).join("\n")}\n]\n`,
      ),
    ).toBeUndefined();
  });
});
