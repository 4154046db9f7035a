// Every rule the engine runs, in reporting order. Adding a rule: see CONTRIBUTING.md.
import type { Rule } from "../src/engine/index.js";
import { vulnerableDependency } from "./VNX-DEP-001/rule.js";
import { pickleFamily } from "./VNX-DESER-001/rule.js";
import { unsafeYaml } from "./VNX-DESER-002/rule.js";
import { numpyAllowPickle } from "./VNX-DESER-003/rule.js";
import { modelFileCode } from "./VNX-DESER-004/rule.js";
import { llmOutputToExecution } from "./VNX-LLM-002/rule.js";
import { codeExecutingFramework } from "./VNX-LLM-005/rule.js";
import { torchLoad } from "./VNX-LLM-007/rule.js";

export const RULES: readonly Rule[] = [
  llmOutputToExecution,
  codeExecutingFramework,
  torchLoad,
  pickleFamily,
  unsafeYaml,
  numpyAllowPickle,
  modelFileCode,
  vulnerableDependency,
];
