import {
  ASSUMED_PASS_ON,
  describeOrigin,
  type Rule,
  SINK_SIDE_FALLBACK,
  type SinkHit,
  TOOL_BY_SHAPE,
} from "../../src/engine/index.js";

/**
 * The flow relies on a library function that was not analysed passing the data on, or on a function taken
 * for a model's tool by its names only.
 */
function assumedPassOn(hit: SinkHit): boolean {
  return hit.taints.some(
    (t) =>
      t.kind === "llm" &&
      t.steps.some((step) => step.note.endsWith(ASSUMED_PASS_ON) || step.note.endsWith(TOOL_BY_SHAPE)),
  );
}

/** Reported by the sink-side fallback: no caller was followed to a model call (see sink-fallback.ts). */
function sinkSideOnly(hit: SinkHit): boolean {
  return hit.taints.every((t) => t.steps.some((step) => step.note.includes(SINK_SIDE_FALLBACK)));
}

const CWE_BY_CATEGORY = {
  code: [95],
  shell: [78],
  process: [78],
  import: [94],
  deserialization: [502],
} as const;

const SINK_WORDS = {
  code: "code execution",
  shell: "a shell command",
  process: "a process launch",
  import: "a dynamic import",
  deserialization: "a deserializer that runs code",
} as const;

export const llmOutputToExecution: Rule = {
  meta: {
    id: "VNX-LLM-002",
    name: "llm-output-to-code-execution",
    shortDescription: "LLM output reaches code or shell execution",
    fullDescription:
      "Text produced by a language model flows, without an allowlist in between, into eval/exec, a shell, a process launch, a dynamic import or a code-running deserializer. Whoever can steer the model (prompt injection, a poisoned document, a compromised endpoint) runs code on the host (OWASP LLM02 Insecure Output Handling).",
    defaultSeverity: "critical",
    cwe: [95, 78],
    tags: ["security", "llm", "owasp-llm02", "rce"],
    precision: "high",
    fixable: false,
    remediation:
      "Do not execute model output. Use structured tool calls with a strict JSON schema and dispatch only to functions in an allowlist; if code must run, run it in an isolated sandbox (no network, read-only files, CPU/memory/time limits) and log every model output that reaches it.",
  },
  checkHit(hit) {
    const origin = describeOrigin(hit, ["llm"]);
    if (!origin) return undefined;
    const category = hit.sink.category;
    const sinkLine = hit.callLocation.startLine;
    if (sinkSideOnly(hit)) {
      return {
        severity: "high",
        confidence: "low",
        provenance: "llm",
        cwe: [...CWE_BY_CATEGORY[category]],
        message: `${origin[0]!.toUpperCase()}${origin.slice(1)} reaches \`${hit.callee}\` (line ${sinkLine}): ${SINK_WORDS[category]} of whatever callers pass; no caller was followed to the model, so check where this argument comes from.`,
      };
    }
    return {
      severity: "critical",
      confidence: "method" in hit.sink || assumedPassOn(hit) ? "medium" : "high",
      provenance: "llm",
      cwe: [...CWE_BY_CATEGORY[category]],
      message: `${origin[0]!.toUpperCase()}${origin.slice(1)} reaches \`${hit.callee}\` (line ${sinkLine}): ${SINK_WORDS[category]} controlled by the model.`,
    };
  },
};
