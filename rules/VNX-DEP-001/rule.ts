import type { Rule } from "../../src/engine/index.js";
import { checkPinnedDependencies } from "./check.js";

export const vulnerableDependency: Rule = {
  meta: {
    id: "VNX-DEP-001",
    name: "dependency-with-code-execution-advisory",
    shortDescription: "A manifest admits a version with a known code-execution or deserialization advisory",
    fullDescription:
      "The dependency manifests (requirements, pyproject, Pipfile, setup.cfg, uv.lock, poetry.lock) let a version of an LLM or ML library be installed that has a published code-execution or deserialization advisory (torch.load before 2.6, PyYAML FullLoader before 5.4, LangChain experimental REPL tools, LlamaIndex PandasQueryEngine, vLLM and BentoML pickle endpoints, PandasAI).",
    defaultSeverity: "high",
    cwe: [502, 94],
    tags: ["security", "dependencies", "supply-chain"],
    precision: "high",
    fixable: true,
    remediation:
      "Require a fixed version (the finding names the upgrade target) and regenerate the lock file.",
  },
  checkFiles(_files, context) {
    return checkPinnedDependencies(context.pins(), context.advisories);
  },
};
