// The engine's one way in: files, models, rules and settings in, findings out. No I/O, no logging, never
// throws. Code outside src/engine imports from here only (test/architecture.test.ts keeps it so); what is
// not exported here is the engine's own business.

// Results: findings, diagnostics, locations.
export type * from "./types.js";
export { incompleteFiles, SEVERITIES } from "./types.js";

// The analysis itself, and what it takes.
export {
  type AnalysisBudget,
  type AnalysisHooks,
  type AnalysisOptions,
  analyze,
  analyzeAsync,
} from "./analyze.js";
export {
  DEFAULT_SETTINGS,
  type EngineSettings,
  type ModelRowSettings,
  type RuleSettings,
} from "./settings.js";

// The rule contract (rules/ implements it; the composition root passes the rules in).
export {
  ASSUMED_PASS_ON,
  type Advisory,
  describeOrigin,
  helpUri,
  type Rule,
  type RuleContext,
  type RuleMetadata,
  type SinkHit,
  TOOL_BY_SHAPE,
  type Verdict,
  type VersionDecision,
} from "./rule.js";
export { deserializationRule, provenanceOf } from "./deserialization-rule.js";
export { SINK_SIDE_FALLBACK } from "./sink-fallback.js";
export type { Taint, TaintKind } from "./values.js";

// API knowledge: the YAML rows of rules/models, read by the caller and compiled here.
export { type ModelDocument, modelRowsFrom } from "./model-rows.js";
export type { MethodSinkModel, ModelRows, SinkCategory, SinkModel, VersionGate } from "./models.js";

// Which files are analysed and how their imports resolve: one policy for the CLI, the App and the engine.
export {
  DEFAULT_MAX_FILE_BYTES,
  isAnalysedFile,
  isPythonSource,
  type ManifestKind,
  manifestKind,
  PROJECT_MARKERS,
  type PrunedDirectory,
  prunedDirectory,
  prunedPathReason,
  VIRTUAL_ENVIRONMENT_MARKER,
} from "./file-policy.js";
export { compileExclude, type ExcludeMatcher, excludingPattern } from "./glob.js";
export { codeText } from "./clues.js";
export { type ImportStatement, readImports } from "./import-statements.js";
export { type ModuleEntry, moduleEntryOf, ModuleTable } from "./modules.js";

// Parsing, for the parse threads and the bench (the trees they hand back must be `parsePython`'s).
export { type ParsedFile, parsePython, treeFromExport, treeSource } from "./parse.js";

// Dependency pins (read from the manifests by src/manifests/, passed in) and PEP 440 versions.
export {
  type Constraint,
  type DependencyPins,
  type ManifestFile,
  normalizePackageName,
  type PackagePins,
  pinsOf,
  type SpecifierSyntax,
} from "./dependencies/pins.js";
export {
  ANY_VERSION,
  intersectRanges,
  pep440Satisfies,
  pep440ToSemver,
  pep440ToSemverRange,
  SEMVER_OPTIONS,
  unionRanges,
} from "./dependencies/pep440.js";
export { escapeRegex } from "./regex.js";
