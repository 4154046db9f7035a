import { describe, expect, it } from "vitest";
import { compileExclude } from "../../src/engine/glob.js";

const file = (pattern: string, path: string) => compileExclude(pattern).matches(path, false);
const dir = (pattern: string, path: string) => compileExclude(pattern).matches(path, true);

describe("exclude patterns", () => {
  it("anchors patterns with a slash at the root and lets ** span directories", () => {
    expect(file("src/generated/**", "src/generated/a/b.py")).toBe(true);
    expect(file("src/generated/**", "lib/src/generated/a.py")).toBe(false);
    expect(file("**/test_*.py", "test_a.py")).toBe(true);
    expect(file("**/test_*.py", "pkg/tests/test_a.py")).toBe(true);
    expect(file("**/test_*.py", "pkg/tests/a_test.py")).toBe(false);
    expect(file("legacy/*.py", "legacy/a.py")).toBe(true);
    expect(file("legacy/*.py", "legacy/sub/a.py")).toBe(false);
    expect(file("./scripts/*.py", "scripts/x.py")).toBe(true);
  });

  it("matches slash-free patterns against names at any depth, and trailing slashes only against directories", () => {
    expect(file("*_pb2.py", "proto/gen/api_pb2.py")).toBe(true);
    expect(dir("migrations", "app/migrations")).toBe(true);
    expect(dir("build/", "build")).toBe(true);
    expect(file("build/", "build")).toBe(false);
  });

  it("supports ?, character classes and brace alternatives, and treats regex characters literally", () => {
    expect(file("v?.py", "v2.py")).toBe(true);
    expect(file("v?.py", "v10.py")).toBe(false);
    expect(file("[!a]*.py", "b.py")).toBe(true);
    expect(file("[!a]*.py", "a.py")).toBe(false);
    expect(file("*.{py,toml}", "x.toml")).toBe(true);
    expect(file("a+b.py", "a+b.py")).toBe(true);
    expect(file("a+b.py", "aab.py")).toBe(false);
    expect(() => compileExclude("{unclosed")).not.toThrow();
  });
});
