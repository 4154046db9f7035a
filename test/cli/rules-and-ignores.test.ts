// `rce-guard rules`, `rce-guard explain ID`, `--exclude GLOB` and .gitignore (with `--no-ignore`).
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { main } from "../../src/cli/main.js";
import { git, LLM_EXEC, makeProject } from "./run-cli.js";

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { isTTY: false, write: (chunk: string) => out.push(chunk) },
    stderr: { isTTY: false, write: (chunk: string) => err.push(chunk) },
    env: {},
    cwd,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

async function scanJson(cwd: string, args: string[]) {
  const run = capture(cwd);
  const code = await main(["scan", "--format", "json", "--quiet", ...args], run.io);
  const report = JSON.parse(run.out()) as {
    findings: { location: { path: string } }[];
    notAnalysed?: unknown[];
    diagnostics?: { path: string; message: string }[];
  };
  return { code, report, paths: report.findings.map((finding) => finding.location.path).sort() };
}

describe("rce-guard rules", () => {
  it("lists every rule with its id, name, default severity and CWE", async () => {
    const run = capture(".");
    expect(await main(["rules"], run.io)).toBe(0);
    const lines = run.out().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+DEFAULT SEVERITY\s+CWE\s+WHAT$/);
    for (const rule of RULES) {
      const line = lines.find((text) => text.startsWith(`${rule.meta.id} `));
      expect(line, rule.meta.id).toBeDefined();
      expect(line).toContain(rule.meta.name);
      expect(line).toContain(rule.meta.defaultSeverity);
      for (const cwe of rule.meta.cwe) expect(line).toContain(`CWE-${cwe}`);
    }
  });

  it("prints the same as JSON with --format json", async () => {
    const run = capture(".");
    expect(await main(["rules", "--format", "json"], run.io)).toBe(0);
    const rows = JSON.parse(run.out()) as { id: string; defaultSeverity: string; cwe: string[] }[];
    expect(rows.map((row) => row.id)).toEqual(RULES.map((rule) => rule.meta.id));
    expect(rows.find((row) => row.id === "VNX-LLM-002")).toMatchObject({
      defaultSeverity: "critical",
      cwe: ["CWE-95", "CWE-78"],
    });
  });
});

describe("rce-guard explain", () => {
  it("shows a rule's metadata and its documentation (rule.md), case-insensitively", async () => {
    const run = capture(".");
    expect(await main(["explain", "vnx-deser-002"], run.io)).toBe(0);
    expect(run.out()).toMatch(/^VNX-DESER-002: /);
    expect(run.out()).toContain("default severity:");
    expect(run.out()).toContain("CWE-502");
    expect(run.out()).toContain("## What it does");
  });

  it("answers an unknown id with one line naming the closest rule, status 2", async () => {
    const run = capture(".");
    expect(await main(["explain", "VNX-LLM-020"], run.io)).toBe(2);
    expect(run.err()).toBe(
      `rce-guard: no rule 'VNX-LLM-020' (did you mean VNX-LLM-002?); the rules are ${RULES.map((r) => r.meta.id).join(", ")} (see rce-guard rules)\n`,
    );
    const missing = capture(".");
    expect(await main(["explain"], missing.io)).toBe(2);
    expect(missing.err()).toMatch(/needs exactly one rule id/);
  });
});

describe("--exclude and .gitignore", () => {
  const files = {
    "app/main.py": LLM_EXEC,
    "app/generated/gen.py": LLM_EXEC,
    "build/copy.py": LLM_EXEC,
    "scratch.py": LLM_EXEC,
  };

  it("--exclude GLOB leaves matching files out (repeatable), and a named path still wins", async () => {
    const project = makeProject(files);
    try {
      const excluded = await scanJson(project.dir, ["--exclude", "app/generated/**", "--exclude=scratch.py"]);
      expect(excluded.paths).toEqual(["app/main.py", "build/copy.py"]);
      const named = await scanJson(project.dir, ["--exclude", "scratch.py", "scratch.py"]);
      expect(named.paths).toEqual(["scratch.py"]);
    } finally {
      project.cleanup();
    }
  });

  it("respects .gitignore in a git work tree, lists what it left out, and --no-ignore scans everything", async () => {
    const project = makeProject({ ...files, ".gitignore": "build/\nscratch.py\n" });
    try {
      git(project.dir, "init", "-q");
      const respected = await scanJson(project.dir, []);
      expect(respected.paths).toEqual(["app/generated/gen.py", "app/main.py"]);
      const text = capture(project.dir);
      await main(["scan", "--no-color"], text.io);
      expect(text.out()).toContain("ignored by .gitignore");
      const all = await scanJson(project.dir, ["--no-ignore"]);
      expect(all.paths).toEqual(["app/generated/gen.py", "app/main.py", "build/copy.py", "scratch.py"]);
      // Asked for by name: scanned even though ignored.
      const named = await scanJson(project.dir, ["scratch.py"]);
      expect(named.paths).toEqual(["scratch.py"]);
    } finally {
      project.cleanup();
    }
  });
});
