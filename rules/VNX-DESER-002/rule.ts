import { deserializationRule } from "../../src/engine/index.js";

export const unsafeYaml = deserializationRule(
  {
    id: "VNX-DESER-002",
    name: "unsafe-yaml-load",
    shortDescription: "YAML loaded with a loader that constructs arbitrary Python objects",
    fullDescription:
      "yaml.load without a safe Loader, yaml.unsafe_load, UnsafeLoader/Loader, FullLoader on PyYAML < 5.4 and ruamel.yaml's unsafe type build Python objects named by the document's tags (`!!python/object/apply:os.system`), which runs code while the document loads.",
    defaultSeverity: "high",
    cwe: [502],
    tags: ["security", "deserialization", "yaml"],
    precision: "very-high",
    fixable: true,
    remediation:
      "Use yaml.safe_load (or Loader=yaml.SafeLoader / CSafeLoader), which builds only plain data.",
  },
  "can construct arbitrary Python objects while loading YAML",
);
