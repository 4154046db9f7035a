// What both install tests share: a plain environment for nested npm runs, and the check that the installed
// `rce-guard` command finds the bundled example's three findings.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "vitest";

export const run = promisify(execFile);
export const skipInstallTests = Boolean(process.env.RCE_GUARD_SKIP_INSTALL_TEST);

/** The environment without what `npm test` itself set (npm_config_*, npm_lifecycle_*), so nested npm runs are plain. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "", ...extra };
}

/** Runs `npx rce-guard scan` in `project` (where `llm-agent/` is the bundled example) and checks its findings. */
export async function expectExampleFindings(project: string): Promise<void> {
  const scan = await run("npx", ["--no-install", "rce-guard", "scan", "--format", "json", "llm-agent"], {
    cwd: project,
    env: plainEnv(),
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(scan.stderr).toBe("");
  const report = JSON.parse(scan.stdout) as { findings: { ruleId: string; location: { path: string } }[] };
  expect(report.findings.map((f) => `${f.ruleId} ${f.location.path}`).sort()).toEqual([
    "VNX-DESER-001 llm-agent/memory.py",
    "VNX-LLM-002 llm-agent/code_agent.py",
    "VNX-LLM-002 llm-agent/ops_assistant.py",
  ]);
  expect(scan.code).toBe(1);
}
