// Every registered rule has its folder: docs with the fixed sections, and examples that test it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";

const RULES_DIR = join(import.meta.dirname, "..", "..", "rules");
const SECTIONS = [
  "## What it does",
  "## Why is this bad?",
  "## Example",
  "## Use instead",
  "## Fix safety",
  "## References",
];

describe("rule folders", () => {
  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))("%s has docs and examples", (id, rule) => {
    const docs = readFileSync(join(RULES_DIR, id, "rule.md"), "utf8");
    expect(docs.startsWith(`# ${id}: `)).toBe(true);
    expect(SECTIONS.filter((section) => !docs.includes(`\n${section}`))).toEqual([]);
    expect(readdirSync(join(RULES_DIR, id, "examples")).length).toBeGreaterThan(0);
    expect(rule.meta.remediation.length).toBeGreaterThan(20);
  });

  it("registers every rule folder", () => {
    const folders = readdirSync(RULES_DIR).filter((name) => existsSync(join(RULES_DIR, name, "rule.ts")));
    expect(folders.sort()).toEqual(RULES.map((rule) => rule.meta.id).sort());
  });
});
