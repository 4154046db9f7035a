// What reporters say about a rule (SARIF `rules[]`, help links, text headers). Kept here until the engine
// exposes a registry built from the rule folders; the lead can back `ruleMetadataFor` with that registry
// without touching the reporters.
import type { Severity } from "../engine/types.js";

export type RulePrecision = "very-high" | "high" | "medium" | "low";

export interface RuleMetadata {
  id: string;
  /** PascalCase, as SARIF's `reportingDescriptor.name` asks for. */
  name: string;
  shortDescription: string;
  fullDescription: string;
  helpUri: string;
  cwe: number[];
  defaultSeverity: Severity;
  tags: string[];
  precision: RulePrecision;
}

const HELP_BASE = "https://github.com/rce-guard/rce-guard/blob/main/rules";

interface RuleSeed {
  name: string;
  shortDescription: string;
  fullDescription: string;
  cwe: number[];
  defaultSeverity: Severity;
  tags: string[];
  precision: RulePrecision;
}

const RULES: Readonly<Record<string, RuleSeed>> = {
  "VNX-LLM-002": {
    name: "LlmOutputToCodeExecution",
    shortDescription: "LLM output reaches code or shell execution",
    fullDescription:
      "Text produced by a language model flows into eval, exec, compile, a shell command or a subprocess " +
      "argument vector. Anyone who can influence the model's input (a prompt, a retrieved document, a web " +
      "page the agent reads) can make it emit code that then runs with the application's privileges.",
    cwe: [95, 78, 94],
    defaultSeverity: "critical",
    tags: ["llm", "injection", "rce"],
    precision: "high",
  },
  "VNX-LLM-005": {
    name: "LangChainCodeExecutionTool",
    shortDescription: "Agent is given a tool that runs arbitrary code",
    fullDescription:
      "An agent framework tool such as PythonREPLTool, PythonAstREPLTool, BashProcess, LLMMathChain or " +
      "create_python_agent lets the model execute Python or shell commands chosen at run time. A prompt " +
      "injection turns that tool into remote code execution.",
    cwe: [94],
    defaultSeverity: "critical",
    tags: ["llm", "agent", "rce"],
    precision: "very-high",
  },
  "VNX-LLM-007": {
    name: "TorchLoadWithoutWeightsOnly",
    shortDescription: "torch.load without weights_only=True unpickles arbitrary objects",
    fullDescription:
      "torch.load uses pickle unless weights_only=True is passed. A model checkpoint downloaded from a hub or " +
      "supplied by a user can carry a pickle payload that runs code as soon as it is loaded.",
    cwe: [502],
    defaultSeverity: "high",
    tags: ["ml", "deserialization"],
    precision: "high",
  },
  "VNX-DESER-001": {
    name: "UntrustedPickleDeserialization",
    shortDescription: "Untrusted data is deserialized with pickle or a pickle-based loader",
    fullDescription:
      "pickle, cPickle, dill, shelve, marshal and jsonpickle reconstruct arbitrary objects and can call any " +
      "function while doing so. Deserializing data that crosses a trust boundary (a request, a message queue, " +
      "an LLM response, a downloaded file) lets its author run code in the process.",
    cwe: [502],
    defaultSeverity: "critical",
    tags: ["deserialization", "rce"],
    precision: "high",
  },
  "VNX-DESER-002": {
    name: "UnsafeYamlLoad",
    shortDescription: "YAML is loaded with a loader that can construct Python objects",
    fullDescription:
      "yaml.load with Loader, UnsafeLoader or FullLoader, yaml.unsafe_load and similar calls can instantiate " +
      "arbitrary Python objects from tags such as !!python/object/apply, which executes code while parsing.",
    cwe: [502],
    defaultSeverity: "high",
    tags: ["deserialization", "yaml"],
    precision: "very-high",
  },
  "VNX-DESER-003": {
    name: "UnsafeModelFileLoad",
    shortDescription: "Model or array file is loaded with pickle enabled",
    fullDescription:
      "joblib.load, numpy.load(allow_pickle=True), pandas.read_pickle and framework loaders that fall back to " +
      "pickle execute code embedded in the file. Model files from hubs, uploads or caches must be treated as " +
      "untrusted; prefer safetensors or formats that store only tensors.",
    cwe: [502],
    defaultSeverity: "high",
    tags: ["ml", "deserialization"],
    precision: "medium",
  },
  "VNX-DEP-001": {
    name: "VulnerableLlmFrameworkDependency",
    shortDescription: "Dependency manifest allows a version with a known code-execution vulnerability",
    fullDescription:
      "A requirements file, pyproject.toml, Pipfile, setup.cfg or lock file permits a version of an LLM or ML " +
      "framework with a published remote code execution advisory. Upgrade to a fixed release and pin it.",
    cwe: [1395],
    defaultSeverity: "high",
    tags: ["dependency", "supply-chain"],
    precision: "high",
  },
};

export const KNOWN_RULE_IDS: readonly string[] = Object.keys(RULES);

export function helpUriFor(ruleId: string): string {
  return `${HELP_BASE}/${ruleId}/rule.md`;
}

/** Metadata for `ruleId`; rules the reporters do not know yet get a neutral description, never a crash. */
export function ruleMetadataFor(ruleId: string): RuleMetadata {
  const seed = Object.hasOwn(RULES, ruleId) ? RULES[ruleId] : undefined;
  if (!seed) {
    return {
      id: ruleId,
      name: ruleId.replace(/[^A-Za-z0-9]/g, ""),
      shortDescription: ruleId,
      fullDescription: `Finding reported by rule ${ruleId}.`,
      helpUri: helpUriFor(ruleId),
      cwe: [],
      defaultSeverity: "medium",
      tags: ["security"],
      precision: "medium",
    };
  }
  return {
    id: ruleId,
    ...seed,
    helpUri: helpUriFor(ruleId),
    tags: ["security", ...seed.tags, ...seed.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)],
  };
}
