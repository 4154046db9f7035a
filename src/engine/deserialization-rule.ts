// The deserialization family shares one judgement: the sink is always worth knowing about, and how bad it
// is depends on where its input comes from (provenance), whether a validator ran first, and, for
// libraries whose defaults changed, which versions the project admits.
import { expandAlternatives, type SinkModel } from "./models.js";
import {
  describeOrigin,
  type Rule,
  type RuleContext,
  type RuleMetadata,
  type SinkHit,
  type Verdict,
} from "./rule.js";
import type { Confidence, Fix, ProvenanceKind, Severity } from "./types.js";

const GRADES: Record<ProvenanceKind, { severity: Severity; confidence: Confidence; words: string }> = {
  llm: { severity: "critical", confidence: "high", words: "" },
  remote: { severity: "critical", confidence: "high", words: "" },
  parameter: { severity: "medium", confidence: "medium", words: "" },
  unknown: { severity: "medium", confidence: "low", words: "data of unknown origin" },
  constant: { severity: "low", confidence: "high", words: "a constant path or literal" },
};

/**
 * Two classes of input with no outside origin that are not an attacker's request, graded below the default
 * comment threshold (medium) so they are listed but not commented on:
 * - state the program wrote itself: the module also writes the format (`pickle.dumps` next to
 *   `pickle.loads`: a cache, a deep copy, a test round trip). Reaching it needs write access to the
 *   program's own files or cache already.
 * - a model or checkpoint file the operator chooses (`torch.load(ckpt_path)`): the risk is a tampered or
 *   downloaded artifact, and the fix is a safe format or loader, not input validation.
 * Test code (`tests/`, `test_*.py`, `conftest.py`) with such input is graded the same: it loads what the test chose.
 * Network and model output keep their grade whatever the module writes.
 */
const SELF_WRITTEN = { severity: "low", confidence: "medium" } as const;
const MODEL_FILE = { severity: "low", confidence: "medium" } as const;

/** Test code (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`): it runs on data the test chooses, never in production. */
const TEST_CODE = /(?:^|\/)(?:tests?\/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)/;

function weakClass(
  hit: SinkHit,
  provenance: ProvenanceKind,
  context: RuleContext,
): "self-written" | "model-file" | "test" | undefined {
  if (provenance !== "parameter" && provenance !== "unknown") return undefined;
  const sink = hit.sink;
  if (TEST_CODE.test(hit.location.path)) return "test";
  // Self-written: the data is serialized right there (`pickle.loads(pickle.dumps(x))`), or the module
  // writes the format it reads (a cache, a state file, a codec pair). A codec that decodes request bodies
  // also reads so; its parameter origin cannot tell, and it is graded low with the rest (measured: narrowing
  // this to files and caches put five false findings back at medium for eight true ones, 71 % precision).
  if (sink.writer) {
    const writerNames = expandAlternatives(sink.writer).map(
      (w) =>
        w
          .split(/[.()]+/)
          .filter(Boolean)
          .at(-1) ?? "",
    );
    const roundTrip = writerNames.some((name) => name && new RegExp(`\\b${name}\\s*\\(`).test(hit.inputText));
    if (roundTrip || context.moduleWrites?.(hit.location.path, sink.writer)) return "self-written";
  }
  if (sink.artifact === "model") return "model-file";
  const origin = hit.taints.find((t) => t.kind === provenance)?.origin ?? "";
  if (context.namesModelArtifact?.(`${hit.inputText} ${origin}`)) return "model-file";
  return undefined;
}

export function provenanceOf(hit: SinkHit): ProvenanceKind {
  for (const kind of ["llm", "remote", "parameter"] as const) {
    if (hit.taints.some((t) => t.kind === kind)) return kind;
  }
  return hit.constantInput ? "constant" : "unknown";
}

export function deserializationRule(meta: RuleMetadata, danger: string): Rule {
  return {
    meta,
    checkHit(hit, context) {
      const sink = hit.sink;
      if (sink.rule !== meta.id || hit.validated) return undefined;
      const gate = "api" in sink ? versionNote(sink, hit, context) : undefined;
      if (gate === null) return undefined;
      const provenance = provenanceOf(hit);
      // A sink without an argument to judge (recv_pyobj, a REPL tool) is as bad as the rule says.
      const implicitInput = sink.args.length === 0 && hit.taints.length === 0;
      const weak = implicitInput ? undefined : weakClass(hit, provenance, context);
      const grade = implicitInput
        ? { severity: meta.defaultSeverity, confidence: "high" as const, words: "" }
        : weak === "self-written" || weak === "test"
          ? { ...SELF_WRITTEN, words: "" }
          : weak === "model-file"
            ? { ...MODEL_FILE, words: "" }
            : GRADES[provenance];
      const origin = describeOrigin(hit, [provenance]) ?? (grade.words || undefined);
      const what = sink.note ? `\`${hit.callee}\` ${sink.note}` : `\`${hit.callee}\` ${danger}`;
      let from = origin ? ` on ${origin}` : "";
      if (weak === "self-written") {
        from = ` on state the program writes itself (this module also serializes with \`${sink.writer}\`${origin ? `; input: ${origin}` : ""}): only someone who can already write its files or cache can plant code there`;
      } else if (weak === "test") {
        from = ` in test code, on data the test chooses${origin ? ` (${origin})` : ""}`;
      } else if (weak === "model-file") {
        from = ` on a model or checkpoint file the operator chooses${origin ? ` (${origin})` : ""}: a tampered or untrusted model file runs code when loaded; load weights in a data-only format (safetensors, weights_only=True) or scan the file first`;
      }
      const alsoLlm = provenance === "llm" ? " (the same flow is reported as VNX-LLM-002)" : "";
      const verdict: Verdict = {
        severity: grade.severity,
        confidence: grade.confidence,
        provenance,
        message: `${what}${from}${alsoLlm}.${gate ? ` ${gate}` : ""}`,
      };
      const fix = "api" in sink ? buildFix(sink, hit) : undefined;
      if (fix) verdict.fix = fix;
      if (provenance === "constant" || provenance === "unknown") verdict.omitTrace = true;
      if (implicitInput) verdict.confidence = "high";
      return verdict;
    },
  };
}

/** undefined: no gate; null: the pinned versions make the call safe; otherwise the reason it is not. */
function versionNote(sink: SinkModel, hit: SinkHit, context: RuleContext): string | null | undefined {
  const gate = sink.versionGate;
  if (!gate) return undefined;
  if (sink.gateKeyword !== undefined && !hit.gateKeywordAbsent) return undefined;
  // A gate without a keyword (FullLoader, full_load) applies to every call.
  const decision = context.decideVersion(gate, hit.location.path);
  if (decision.safe) return null;
  return decision.reason;
}

function buildFix(sink: SinkModel, hit: SinkHit): Fix | undefined {
  const template = sink.fix;
  if (!template) return undefined;
  const base = { description: template.description, safety: template.safety };
  switch (template.kind) {
    case "replace_callee": {
      // `yaml.load(s, Loader=...)` → `yaml.safe_load(s, Loader=...)` would raise: only the one-argument form.
      if (!template.callee || hit.argumentCount !== 1) return undefined;
      const dot = hit.callee.lastIndexOf(".");
      const replacement = dot >= 0 ? `${hit.callee.slice(0, dot + 1)}${template.callee}` : template.callee;
      // `from yaml import load` has no module prefix to keep; the new name would be unbound.
      if (dot < 0) return undefined;
      return { ...base, edits: [{ span: hit.calleeSpan, replacement }] };
    }
    case "set_keyword": {
      if (!template.keyword || template.value === undefined) return undefined;
      const existing = hit.keywordSpans[template.keyword];
      const text = `${template.keyword}=${template.value}`;
      if (existing) return { ...base, edits: [{ span: existing.span, replacement: text }] };
      if (!hit.hasArguments) return undefined;
      const end = hit.argumentsEnd;
      const at = {
        startLine: end.endLine,
        startColumn: end.endColumn + 1,
        endLine: end.endLine,
        endColumn: end.endColumn,
      };
      return { ...base, edits: [{ span: at, replacement: `, ${text}` }] };
    }
    case "remove_keyword": {
      if (!template.keyword) return undefined;
      const existing = hit.keywordSpans[template.keyword];
      if (!existing || existing.removal.startLine !== existing.removal.endLine) return undefined;
      return { ...base, edits: [{ span: existing.removal, replacement: "" }] };
    }
  }
}
