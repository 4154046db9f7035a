// The composite GitHub Action (action.yml), run the way the runner runs it: `${{ }}` expressions
// substituted, each `run:` script executed by bash in its working directory with its `env:`, step outputs
// read back from $GITHUB_OUTPUT. The build step is skipped; a shim stands in for the built CLI and runs
// the sources through tsx. `uses:` steps (the SARIF upload) are only checked, not run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sarifSchemaErrors } from "../report/validators.js";
import { git, LLM_EXEC, makeProject, repoRoot, writeProjectFiles } from "../cli/run-cli.js";

/** `${{ text }}` as action.yml writes it (a plain string, so the linter does not take it for a template). */
function expr(text: string): string {
  return "$" + "{{ " + text + " }}";
}

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface Action {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as Action;

let project: { dir: string; cleanup: () => void };
let actionPath: string;

beforeAll(() => {
  // A stand-in for the built action: dist/src/cli/main.js runs the CLI's sources through tsx.
  actionPath = mkdtempSync(join(tmpdir(), "rce-guard-action-"));
  mkdirSync(join(actionPath, "dist", "src", "cli"), { recursive: true });
  const tsxLoader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const entry = join(repoRoot, "src", "cli", "main.ts");
  writeFileSync(
    join(actionPath, "dist", "src", "cli", "main.js"),
    `import { spawnSync } from "node:child_process";
const run = spawnSync(process.execPath, ["--import", ${JSON.stringify(tsxLoader)}, ${JSON.stringify(entry)}, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 2);
`,
  );
  // A repository whose pull request (branch feature) adds model output reaching exec; main is clean.
  project = makeProject({ "app/ok.py": "print('hello')\n" });
  git(project.dir, "init", "--quiet", "--initial-branch=main");
  git(project.dir, "add", ".");
  git(project.dir, "commit", "--quiet", "-m", "base");
  // What actions/checkout with fetch-depth 0 leaves: the base branch as a remote-tracking ref.
  git(project.dir, "update-ref", "refs/remotes/origin/main", "main");
  git(project.dir, "checkout", "--quiet", "-b", "feature");
  writeProjectFiles(project.dir, { "app/agent.py": LLM_EXEC });
  git(project.dir, "add", ".");
  git(project.dir, "commit", "--quiet", "-m", "agent");
});

afterAll(() => {
  project.cleanup();
  rmSync(actionPath, { recursive: true, force: true });
});

interface Context {
  inputs: Record<string, string>;
  github: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

/** `${{ name.path }}` lookups only: every expression action.yml uses outside `if:`. */
function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const match = /^(inputs|github)\.([\w-]+)$/.exec(expression);
    if (match) {
      const value = context[match[1] as "inputs" | "github"][match[2]!];
      if (value === undefined) throw new Error(`unknown ${expression}`);
      return value;
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return context.steps[output[1]!]?.outputs[output[2]!] ?? "";
    throw new Error(`expression the test cannot evaluate: ${expression}`);
  });
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

interface ActionRun {
  /** Exit status of each executed `run:` step, by id. */
  codes: Record<string, number>;
  stdout: Record<string, string>;
  stderr: Record<string, string>;
  outputs: Record<string, Record<string, string>>;
  skipped: string[];
}

/** Runs the composite action's scripts in `workspace` as a pull request from feature into main would. */
function runAction(workspace: string, given: Record<string, string>, baseRef = "main"): ActionRun {
  const github = {
    action_path: actionPath,
    workspace,
    base_ref: baseRef,
  };
  const context: Context = { inputs: {}, github, steps: {} };
  for (const [name, input] of Object.entries(action.inputs)) {
    context.inputs[name] = given[name] ?? substitute(input.default ?? "", context);
  }
  const run: ActionRun = { codes: {}, stdout: {}, stderr: {}, outputs: {}, skipped: [] };
  for (const step of action.runs.steps) {
    const id = step.id!;
    // Not run here: the build (the shim stands in for its result) and actions used by reference.
    if (id === "setup" || step.uses) {
      run.skipped.push(id);
      continue;
    }
    expect(step.shell).toBe("bash");
    const outputFile = join(workspace, "..", `${id}.github-output`);
    writeFileSync(outputFile, "");
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NO_COLOR: "1",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_BASE_REF: baseRef,
      GITHUB_OUTPUT: outputFile,
    };
    for (const [name, value] of Object.entries(step.env ?? {}))
      env[name] = substitute(String(value), context);
    // The runner's bash invocation for `shell: bash`.
    const child = spawnSync(
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step.run!, context)],
      {
        cwd: substitute(step["working-directory"] ?? expr("github.workspace"), context),
        env,
        encoding: "utf8",
      },
    );
    run.codes[id] = child.status ?? -1;
    run.stdout[id] = child.stdout;
    run.stderr[id] = child.stderr;
    run.outputs[id] = readOutputs(outputFile);
    context.steps[id] = { outputs: run.outputs[id] };
    rmSync(outputFile, { force: true });
  }
  return run;
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs and steps", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs)).toEqual([
      "diff-base",
      "format",
      "fail-on",
      "sarif-file",
      "upload-sarif",
    ]);
    expect(action.inputs["diff-base"]!.default).toBe("origin/" + expr("github.base_ref"));
    expect(action.inputs.format!.default).toBe("github");
    expect(action.inputs["sarif-file"]!.default).toBe("rce-guard.sarif");
    expect(action.inputs["upload-sarif"]!.default).toBe("true");
    expect(action.runs.steps.map((step) => step.id)).toEqual(["setup", "scan", "upload", "result"]);
    const [setup, scan, upload, result] = action.runs.steps as [
      ActionStep,
      ActionStep,
      ActionStep,
      ActionStep,
    ];
    expect(setup["working-directory"]).toBe(expr("github.action_path"));
    // npm ci runs the package's prepare script, which builds dist/.
    expect(setup.run).toContain("npm ci --no-audit --no-fund");
    expect(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts.prepare).toContain(
      "tsconfig.build.json",
    );
    expect(scan["working-directory"]).toBe(expr("github.workspace"));
    expect(scan.env!.RCE_GUARD_CLI).toBe(expr("github.action_path") + "/dist/src/cli/main.js");
    expect(upload.uses).toBe("github/codeql-action/upload-sarif@v3");
    expect(upload.if).toMatch(/^always\(\) && inputs\.format == 'sarif' && inputs\.upload-sarif == 'true'/);
    expect(upload.with).toEqual({ sarif_file: expr("inputs.sarif-file") });
    expect(result.env!.RCE_GUARD_EXIT_CODE).toBe(expr("steps.scan.outputs.exit-code"));
    expect(action.outputs["exit-code"]!.value).toBe(expr("steps.scan.outputs.exit-code"));
  });

  it("never splices an input into a script: inputs reach `run:` only through env", () => {
    for (const step of action.runs.steps) {
      if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
    }
  });

  it("format sarif on a pull request: writes the SARIF of the changed lines and fails with status 1", () => {
    const run = runAction(project.dir, { format: "sarif" });
    expect(run.skipped).toEqual(["setup", "upload"]);
    expect(run.stderr.scan).not.toMatch(/error|usage/i);
    expect(run.codes.scan).toBe(0);
    expect(run.outputs.scan).toEqual({ "sarif-file": "rce-guard.sarif", "exit-code": "1" });
    const log = JSON.parse(readFileSync(join(project.dir, "rce-guard.sarif"), "utf8"));
    expect(sarifSchemaErrors(log)).toEqual([]);
    const sarifRun = log.runs[0];
    expect(sarifRun.automationDetails.id).toBe(
      `rce-guard/diff/${git(project.dir, "rev-parse", "main").trim()}`,
    );
    expect(sarifRun.properties.diffBase).toBe("origin/main");
    expect(sarifRun.results.map((result: { ruleId: string }) => result.ruleId)).toContain("VNX-LLM-002");
    expect(sarifRun.results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "app/agent.py",
      uriBaseId: "%SRCROOT%",
    });
    expect(run.codes.result).toBe(1);
  });

  it("format github: annotations on stdout; fail-on never passes; an empty diff-base scans everything", () => {
    const annotated = runAction(project.dir, {});
    expect(annotated.stdout.scan).toMatch(/^::error .*file=app\/agent\.py,line=5/m);
    expect(annotated.codes.result).toBe(1);

    const lenient = runAction(project.dir, { "fail-on": "never" });
    expect(lenient.outputs.scan!["exit-code"]).toBe("0");
    expect(lenient.codes.result).toBe(0);

    // On a push (no base ref) the default diff base is empty: a full scan, named so in the SARIF.
    const sarifFile = "out/full.sarif";
    const full = runAction(project.dir, { format: "sarif", "sarif-file": sarifFile }, "");
    expect(full.codes.result).toBe(1);
    const log = JSON.parse(readFileSync(join(project.dir, sarifFile), "utf8"));
    expect(log.runs[0].automationDetails.id).toBe(
      `rce-guard/full/${git(project.dir, "rev-parse", "HEAD").trim()}`,
    );
    expect(log.runs[0].properties).toBeUndefined();
  });

  it("fails with status 2 on a format it does not know, without scanning", () => {
    const run = runAction(project.dir, { format: "xml" });
    expect(run.stdout.scan).toContain("::error title=RCE Guard::format must be github or sarif");
    expect(run.codes.result).toBe(2);
  });
});
