import { deserializationRule } from "../../src/engine/index.js";

export const numpyAllowPickle = deserializationRule(
  {
    id: "VNX-DESER-003",
    name: "numpy-load-allow-pickle",
    shortDescription: "numpy.load with pickled object arrays allowed",
    fullDescription:
      "numpy.load(..., allow_pickle=True) unpickles object arrays stored in .npy/.npz files, so a crafted file runs code. numpy refuses them by default from 1.16.3.",
    defaultSeverity: "high",
    cwe: [502],
    tags: ["security", "deserialization", "numpy"],
    precision: "very-high",
    fixable: true,
    remediation:
      "Drop allow_pickle=True and store plain numeric arrays; keep object data in JSON or another data-only format.",
  },
  "unpickles object arrays from the file",
);
