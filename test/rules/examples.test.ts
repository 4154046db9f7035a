// The rule-example runner: every Python file under rules/*/examples is a test. A comment line
// `# ruleid: ID` says the next line holds a finding of ID; `# ok: ID` says it holds none; `# todoruleid: ID`
// marks a known miss (it must still be missed, so fixing it forces the annotation to be updated).
// Any finding of the folder's rule (or of a rule annotated in the file) on an unannotated line fails.
// `# ruleid: ID (severity)` also asserts the finding's severity (how its origin is graded).
// A sub-folder of examples/ is one multi-file project (cross-module flows). Each project is also analysed
// with every module interpreted, to check that the relevance filter (which files are parsed at all) loses
// nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { isAnalysedFile } from "../../src/engine/file-policy.js";
import type { SourceFile } from "../../src/engine/types.js";

const RULES_DIR = join(import.meta.dirname, "..", "..", "rules");
const ANNOTATION =
  /^\s*#\s*(ruleid|ok|todoruleid|todook):\s*([A-Z0-9-]+(?:\s*,\s*[A-Z0-9-]+)*)(?:\s*\((critical|high|medium|low|info)\))?/;

interface Expectation {
  kind: "ruleid" | "ok" | "todoruleid" | "todook";
  ruleId: string;
  /** The line the annotation speaks about (the next non-annotation line). */
  line: number;
  /** The severity the finding must have, when the annotation says. */
  severity?: string;
}

function readExpectations(text: string): Expectation[] {
  const lines = text.split("\n");
  const out: Expectation[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (!match) return;
    let target = index + 1;
    while (target < lines.length && ANNOTATION.test(lines[target]!)) target++;
    for (const ruleId of match[2]!.split(",").map((s) => s.trim())) {
      const expectation: Expectation = { kind: match[1] as Expectation["kind"], ruleId, line: target + 1 };
      if (match[3]) expectation.severity = match[3];
      out.push(expectation);
    }
  });
  return out;
}

/** Python files and the dependency manifests the version-aware rules read. */
function projectFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return projectFiles(full);
      return isAnalysedFile(full) ? [full] : [];
    })
    .sort();
}

interface ExampleProject {
  name: string;
  ruleId: string;
  root: string;
  files: string[];
}

function exampleProjects(): ExampleProject[] {
  const projects: ExampleProject[] = [];
  for (const ruleId of readdirSync(RULES_DIR).sort()) {
    const examples = join(RULES_DIR, ruleId, "examples");
    let entries: string[];
    try {
      entries = readdirSync(examples).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = join(examples, entry);
      if (statSync(full).isDirectory())
        projects.push({ name: `${ruleId}/${entry}/`, ruleId, root: full, files: projectFiles(full) });
      else if (entry.endsWith(".py"))
        projects.push({ name: `${ruleId}/${entry}`, ruleId, root: examples, files: [full] });
    }
  }
  return projects;
}

const projects = exampleProjects();
const totals = new Map<string, { positive: number; negative: number }>();

describe("rule examples", () => {
  it.each(projects.map((p) => [p.name, p] as const))("%s", (_name, project) => {
    const sources: SourceFile[] = project.files.map((file) => ({
      path: relative(project.root, file).split("\\").join("/"),
      text: readFileSync(file, "utf8"),
    }));
    const result = runAnalysis(sources);
    const problems: string[] = [];
    // The relevance filter decides which files are parsed at all; it must never cost a finding.
    const unfiltered = runAnalysis(sources, { interpretEveryModule: true });
    const brief = (r: typeof result) =>
      r.findings.map(
        (f) =>
          `${f.ruleId} ${f.location.path}:${f.location.startLine}:${f.location.startColumn} ${f.severity} ${f.provenance}`,
      );
    expect(brief(result), "findings with the relevance filter = without it").toEqual(brief(unfiltered));
    // Manifests are context (version pins); VNX-DEP-001's findings on them are asserted in dep-001.test.ts.
    for (const source of sources.filter((s) => s.path.endsWith(".py"))) {
      const expectations = readExpectations(source.text);
      const checked = new Set([project.ruleId, ...expectations.map((e) => e.ruleId)]);
      const found = [...result.findings, ...result.suppressed].filter(
        (f) => f.location.path === source.path && checked.has(f.ruleId),
      );
      const foundAt = (ruleId: string, line: number) =>
        found.some((f) => f.ruleId === ruleId && f.location.startLine === line);
      for (const e of expectations) {
        const count = totals.get(e.ruleId) ?? { positive: 0, negative: 0 };
        if (e.kind === "ruleid") count.positive++;
        if (e.kind === "ok") count.negative++;
        totals.set(e.ruleId, count);
        const hit = foundAt(e.ruleId, e.line);
        if (e.kind === "ruleid" && !hit)
          problems.push(`${source.path}:${e.line}: expected ${e.ruleId}, found none`);
        const graded = found.find((f) => f.ruleId === e.ruleId && f.location.startLine === e.line);
        if (e.kind === "ruleid" && e.severity && graded && graded.severity !== e.severity) {
          problems.push(
            `${source.path}:${e.line}: expected ${e.ruleId} at ${e.severity}, found ${graded.severity} (${graded.provenance})`,
          );
        }
        if (e.kind === "ok" && hit)
          problems.push(`${source.path}:${e.line}: expected no ${e.ruleId}, found one`);
        if (e.kind === "todoruleid" && hit)
          problems.push(`${source.path}:${e.line}: ${e.ruleId} is found now; make the todoruleid a ruleid`);
        if (e.kind === "todook" && !hit)
          problems.push(`${source.path}:${e.line}: no ${e.ruleId} now; make the todook an ok`);
      }
      for (const finding of found) {
        const annotated = expectations.some(
          (e) =>
            e.ruleId === finding.ruleId &&
            e.line === finding.location.startLine &&
            (e.kind === "ruleid" || e.kind === "todook"),
        );
        if (!annotated) {
          problems.push(
            `${source.path}:${finding.location.startLine}: unannotated ${finding.ruleId}: ${finding.message}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("has at least 40 positive and 40 negative cases for VNX-LLM-002", () => {
    const count = totals.get("VNX-LLM-002");
    expect(count?.positive).toBeGreaterThanOrEqual(40);
    expect(count?.negative).toBeGreaterThanOrEqual(40);
  });

  it("has at least 25 positive and 25 negative cases for the deserialization family", () => {
    const family = ["VNX-DESER-001", "VNX-DESER-002", "VNX-DESER-003", "VNX-LLM-005", "VNX-LLM-007"];
    const sum = (key: "positive" | "negative") =>
      family.reduce((n, id) => n + (totals.get(id)?.[key] ?? 0), 0);
    expect(sum("positive")).toBeGreaterThanOrEqual(25);
    expect(sum("negative")).toBeGreaterThanOrEqual(25);
  });
});
