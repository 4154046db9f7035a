import { deserializationRule } from "../../src/engine/index.js";

// Built on the same judgement as the deserializers: the component is dangerous wherever it is built, and
// the finding's severity follows what reaches it.
export const codeExecutingFramework = deserializationRule(
  {
    id: "VNX-LLM-005",
    name: "framework-executes-model-output",
    shortDescription: "An LLM framework component that executes the model's code or commands",
    fullDescription:
      "LangChain's PythonREPLTool, PythonAstREPLTool, PythonREPL, BashProcess/ShellTool, LLMMathChain (old versions), PALChain, create_python_agent, pandas/CSV agents with allow_dangerous_code=True and LlamaIndex's PandasQueryEngine run what the model writes on the host. Prompt injection in any input the agent reads becomes code execution.",
    defaultSeverity: "high",
    cwe: [94],
    tags: ["security", "llm", "owasp-llm02", "rce"],
    precision: "very-high",
    fixable: false,
    remediation:
      "Give the agent narrow tools with typed arguments instead of an interpreter; if it must run code, run it in an isolated sandbox (a container or microVM without network or secrets, e.g. E2B, a Docker sandbox) and never in the application process.",
  },
  "executes what the model writes",
);
