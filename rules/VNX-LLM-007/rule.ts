import { deserializationRule } from "../../src/engine/index.js";

export const torchLoad = deserializationRule(
  {
    id: "VNX-LLM-007",
    name: "torch-load-without-weights-only",
    shortDescription: "torch.load without weights_only=True",
    fullDescription:
      "torch.load unpickles the checkpoint unless weights_only=True (the default only from torch 2.6), and torch.jit.load runs TorchScript from the file: a downloaded or user-supplied model file runs code on load (CVE-2025-32434 and the pickle class of bugs).",
    defaultSeverity: "high",
    cwe: [502],
    tags: ["security", "deserialization", "pytorch", "llm"],
    precision: "high",
    fixable: true,
    remediation:
      "Pass weights_only=True (and require torch>=2.6), or store weights as safetensors and load them with safetensors.torch.load_file.",
  },
  "unpickles the checkpoint, running any code it holds",
);
