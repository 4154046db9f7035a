// Findings built by hand, shaped like the engine's, so reporters can be tested without the engine.
import type { AnalysisResult, Finding } from "../../src/engine/types.js";
import type { ScanReport } from "../../src/report/scan-report.js";

export const APP_SOURCE = [
  "from openai import OpenAI",
  "client = OpenAI()",
  "def run():",
  '    code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content',
  "    exec(code)",
  "",
].join("\n");

export function execFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "VNX-LLM-002",
    severity: "critical",
    confidence: "high",
    cwe: [95],
    message: "LLM output reaches `exec`",
    location: { path: "agent/app.py", startLine: 5, startColumn: 10, endLine: 5, endColumn: 13 },
    sinkCallee: "exec",
    provenance: "llm",
    trace: [
      {
        location: { path: "agent/app.py", startLine: 4, startColumn: 12, endLine: 4, endColumn: 65 },
        note: "output of `client.chat.completions.create`",
      },
      {
        location: { path: "agent/app.py", startLine: 4, startColumn: 5, endLine: 4, endColumn: 8 },
        note: "assigned to `code`",
      },
      {
        location: { path: "agent/app.py", startLine: 5, startColumn: 10, endLine: 5, endColumn: 13 },
        note: "passed to `exec`",
      },
    ],
    remediation: "Never execute model output; map the model's choice onto an allowlist of functions.",
    helpUri: "https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-LLM-002/rule.md",
    fingerprint: "3f1c2a9b8d7e6f50",
    ...overrides,
  };
}

export function yamlFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "VNX-DESER-002",
    severity: "high",
    confidence: "high",
    cwe: [502],
    message: "`yaml.load` with `yaml.Loader` can construct arbitrary Python objects",
    location: { path: "config loader/load.py", startLine: 3, startColumn: 8, endLine: 3, endColumn: 38 },
    sinkCallee: "yaml.load",
    provenance: "unknown",
    trace: [],
    remediation: "Use `yaml.safe_load`.",
    helpUri: "https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-DESER-002/rule.md",
    fix: {
      description: "Replace `yaml.load(..., Loader=yaml.Loader)` with `yaml.safe_load(...)`",
      safety: "safe",
      edits: [
        {
          span: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 38 },
          replacement: "yaml.safe_load(f)",
        },
      ],
    },
    fingerprint: "aa11bb22cc33dd44",
    ...overrides,
  };
}

export function suppressedFinding(): Finding {
  return execFinding({
    location: { path: "agent/sandbox.py", startLine: 12, startColumn: 5, endLine: 12, endColumn: 20 },
    trace: [],
    fingerprint: "5e5e5e5e5e5e5e5e",
    suppression: {
      reason: "runs inside the gVisor sandbox",
      location: { path: "agent/sandbox.py", startLine: 12, startColumn: 22, endLine: 12, endColumn: 70 },
    },
  });
}

export function makeReport(
  result: Partial<AnalysisResult> = {},
  overrides: Partial<ScanReport> = {},
): ScanReport {
  return {
    toolVersion: "0.1.0",
    result: {
      findings: [],
      suppressed: [],
      diagnostics: [],
      stats: { files: 3, bytes: 420, parseErrors: 0, interpreted: 3, interpretedBytes: 420, steps: 100 },
      ...result,
    },
    stats: { files: 3, bytes: 420, parseErrors: 0, skippedFiles: 0, durationMs: 12.3, ...overrides.stats },
    failOn: "high",
    sources: new Map([["agent/app.py", APP_SOURCE]]),
    ...overrides,
  };
}
