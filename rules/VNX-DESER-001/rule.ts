import { deserializationRule } from "../../src/engine/index.js";

export const pickleFamily = deserializationRule(
  {
    id: "VNX-DESER-001",
    name: "pickle-family-deserialization",
    shortDescription: "Untrusted data loaded with pickle or a pickle-based loader",
    fullDescription:
      "pickle, dill, cloudpickle, joblib, shelve, marshal, pandas.read_pickle, jsonpickle, ZeroMQ recv_pyobj and multiprocessing connections run code embedded in the data while they load it. Whoever controls the bytes controls the process.",
    defaultSeverity: "critical",
    cwe: [502],
    tags: ["security", "deserialization", "rce"],
    precision: "high",
    fixable: true,
    remediation:
      "Exchange data as JSON, msgpack or protobuf; store models as safetensors; if pickle is unavoidable, sign the payload (HMAC) and verify it before loading, or load with an Unpickler whose find_class allows only known classes.",
  },
  "runs code embedded in the data while unpickling",
);
