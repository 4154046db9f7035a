import type { Rule } from "../../src/engine/index.js";

// Model and data files are binary and can be gigabytes: they do not go through the Python engine. The
// CLI and the App stream them through src/model-files/ (see src/model-files/findings.ts), which reports
// under this rule's metadata. The rule is registered so that its docs, SARIF metadata and the check-run
// links exist like every other rule's; it has no check over Python sources.
export const modelFileCode: Rule = {
  meta: {
    id: "VNX-DESER-004",
    name: "model-file-runs-code-when-loaded",
    shortDescription: "A committed model or data file whose pickle stream imports and calls code when loaded",
    fullDescription:
      "A pickle, PyTorch checkpoint, joblib dump, NumPy object array or Keras Lambda layer in the repository names callables that torch.load, pickle.load, joblib.load, numpy.load(allow_pickle=True) or keras load_model import and call while loading it. The file is read as data, never loaded.",
    defaultSeverity: "critical",
    cwe: [502],
    tags: ["security", "deserialization", "rce", "supply-chain"],
    precision: "high",
    fixable: false,
    remediation:
      "Do not merge the file as it is: regenerate it from a trusted source, store tensors as safetensors (or NumPy arrays without objects), and load checkpoints with torch.load(..., weights_only=True).",
  },
};
