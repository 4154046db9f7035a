// The README's first command: `npm run scan -- examples/llm-agent` must show the app's real problems and
// leave its safe tool dispatcher alone.
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./run-cli.js";

describe("examples/llm-agent", () => {
  it("flags the exec agent, the shell helper and the pickled memory, not the allowlisted tools", async () => {
    const run = await runCli(["scan", "--format", "json", "examples/llm-agent"], repoRoot);
    const document = JSON.parse(run.stdout);
    const found = document.findings.map(
      (f: { ruleId: string; location: { path: string } }) => `${f.ruleId} ${f.location.path}`,
    );
    expect(found.sort()).toEqual([
      "VNX-DESER-001 examples/llm-agent/memory.py",
      "VNX-LLM-002 examples/llm-agent/code_agent.py",
      "VNX-LLM-002 examples/llm-agent/ops_assistant.py",
    ]);
    expect(document.stats.files).toBe(6);
    expect(run.code).toBe(1);
  });

  it("reports the same with files parsed on other threads (--threads 2) as on one (--threads 0)", async () => {
    const [threaded, single] = await Promise.all([
      runCli(["scan", "--format", "json", "--threads", "2", "examples/llm-agent"], repoRoot),
      runCli(["scan", "--format", "json", "--threads", "0", "examples/llm-agent"], repoRoot),
    ]);
    const findings = (stdout: string) => JSON.parse(stdout).findings;
    expect(findings(threaded.stdout).length).toBe(3);
    expect(findings(threaded.stdout)).toEqual(findings(single.stdout));
    expect(threaded.code).toBe(1);
  });
});
