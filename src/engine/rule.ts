// What a rule is: declarative metadata plus a small check that turns a sink hit into a verdict.
// The engine does the rest (location, trace, fingerprint, suppression), so rules stay a few lines long.
import type { Advisory } from "../../rules/VNX-DEP-001/check.js";
import type { DependencyPins } from "./dependencies/manifests.js";
import type { SinkHit } from "./interpreter.js";
import type { VersionGate } from "./models.js";
import type { Confidence, Finding, Fix, ProvenanceKind, Severity, SourceFile } from "./types.js";

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
  const where = first.path === hit.location.path ? `line ${first.startLine}` : `${first.path}:${first.startLine}`;
  return `${taint.origin} (${where})`;
}
