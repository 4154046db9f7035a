// The rule contract, shared by the engine and the rules (rules/ imports it through src/engine/index.ts):
// what a rule is — declarative metadata plus a small check that turns a sink hit into a verdict — and what
// the engine hands it. The engine does the rest (location, trace, fingerprint, suppression), so rules stay
// a few lines long. The engine never imports a rule: the composition root (src/run-analysis.ts) passes them in.
import type { DependencyPins } from "./dependencies/pins.js";
import type { MethodSinkModel, SinkModel, VersionGate } from "./models.js";
import type {
  Confidence,
  Finding,
  Fix,
  Location,
  ProvenanceKind,
  Severity,
  SourceFile,
  Span,
} from "./types.js";
import type { Taint } from "./values.js";

/** A call that reached a modelled sink, with what the interpreter knows about its input. */
export interface SinkHit {
  sink: SinkModel | MethodSinkModel;
  /** Where the input argument is (the call itself when the input is implicit). */
  location: Location;
  callLocation: Location;
  /** The callee as written, e.g. `subprocess.run`. */
  callee: string;
  /** The input argument as written (whitespace folded), for fingerprints. */
  inputText: string;
  /** Qualified name of the function holding the sink ("<module>" at top level). */
  scopeName: string;
  taints: readonly Taint[];
  /** The input is built from literals only (a constant path, a literal string). */
  constantInput: boolean;
  /** A payload validator (HMAC, picklescan) ran earlier in the same function. */
  validated: boolean;
  /** The keyword a version gate is about is absent from this call. */
  gateKeywordAbsent: boolean;
  /** Span of the callee (for callee-replacing fixes) and of each keyword argument. */
  calleeSpan: Span;
  keywordSpans: Record<string, { span: Span; removal: Span; valueText: string }>;
  /** Arguments as written, for fixes that only apply to the simplest form. */
  argumentCount: number;
  /** End of the argument list's content, for fixes that add a keyword. */
  argumentsEnd: Span;
  hasArguments: boolean;
}

/** Ends the note of a trace step through a library function that was not analysed. */
export const ASSUMED_PASS_ON = "(not analysed; assumed to pass the data on)";

/** Ends the note of a trace step where a function was taken for a model's tool by its names only. */
export const TOOL_BY_SHAPE = "(recognised by its shape, not by a framework's model)";

/** A published advisory for a Python package (rules/models/advisories.yml), read by the composition root. */
export interface Advisory {
  id: string;
  aliases: string[];
  /** PyPI name as written in the advisory. */
  package: string;
  /** PEP 440 specifier of the affected versions, `<` and `>` read as plain ordering. */
  affected: string;
  /** First fixed PEP 440 version, or null when no release fixes it. */
  fixed: string | null;
  severity: Severity;
  cwe: number[];
  summary: string;
  url: string;
  /** The public advisory text the row was checked against. */
  source: string;
}

export interface RuleMetadata {
  id: string;
  name: string;
  shortDescription: string;
  fullDescription: string;
  defaultSeverity: Severity;
  cwe: number[];
  tags: string[];
  /** Whether some findings carry a mechanical fix. */
  fixable: boolean;
  /** How often a finding is a true positive (SARIF `precision`, shown by code scanning). */
  precision: "very-high" | "high" | "medium" | "low";
  /** Remediation shown with every finding; the rule's docs say more. */
  remediation: string;
}

export interface Verdict {
  severity: Severity;
  confidence: Confidence;
  message: string;
  provenance: ProvenanceKind;
  cwe?: number[];
  fix?: Fix;
  /** Leave the trace out (the rule's message already says all there is). */
  omitTrace?: boolean;
}

export interface VersionDecision {
  /** True when every version the project admits has the safe default. */
  safe: boolean;
  reason: string;
}

export interface RuleContext {
  /**
   * Decides a version gate from the dependency pins of the manifests that govern the file at `path` (the
   * project it belongs to; every non-vendored manifest when no path is given).
   */
  decideVersion(gate: VersionGate, path?: string): VersionDecision;
  /** The scanned manifests' dependency pins, read once per analysis. */
  pins(): DependencyPins;
  /** Published advisories of the dependency rule (rules/models/advisories.yml). */
  advisories: readonly Advisory[];
  /** Whether the Python module at `path` calls an API of `writer` (a models path pattern, `pickle.{dump,dumps}`). */
  moduleWrites?(path: string, writer: string): boolean;
  /** Whether `text` (an argument or a parameter's name) names a model file (rules/models: model_artifact_names). */
  namesModelArtifact?(text: string): boolean;
}

export interface Rule {
  meta: RuleMetadata;
  /** Judges one sink hit; undefined when the rule has nothing to say about it. */
  checkHit?(hit: SinkHit, context: RuleContext): Verdict | undefined;
  /** Rules over non-Python files (dependency manifests) produce findings directly. */
  checkFiles?(files: readonly SourceFile[], context: RuleContext): Finding[];
}

export function helpUri(ruleId: string): string {
  return `https://github.com/rce-guard/rce-guard/blob/main/rules/${ruleId}/rule.md`;
}

/** "output of `client.chat.completions.create` (line 12)", naming the file when it is another one. */
export function describeOrigin(hit: SinkHit, kinds: readonly string[]): string | undefined {
  const taint = hit.taints.find((t) => kinds.includes(t.kind));
  if (!taint) return undefined;
  const first = (taint.steps.find((step) => step.note === taint.origin) ?? taint.steps[0])?.location;
  if (!first) return taint.origin;
  const where =
    first.path === hit.location.path ? `line ${first.startLine}` : `${first.path}:${first.startLine}`;
  return `${taint.origin} (${where})`;
}
