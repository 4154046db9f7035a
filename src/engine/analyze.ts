import type { Config } from "../config.js";
import type { AnalysisResult, LineRanges, SourceFile } from "./types.js";

export interface AnalysisOptions {
  /** Only findings whose sink or a trace step lies on these lines are reported; files absent here report everything. */
  changedLines?: ReadonlyMap<string, LineRanges>;
  /** Rule switches, severity overrides and extra sources/sinks/sanitizers. */
  config?: Readonly<Config>;
}

// Placeholder until the engine lands: the contract is what matters to the adapters.
export function analyze(files: readonly SourceFile[], _options: AnalysisOptions = {}): AnalysisResult {
  return {
    findings: [],
    suppressed: [],
    diagnostics: [],
    stats: { files: files.length, bytes: files.reduce((n, f) => n + f.text.length, 0), parseErrors: 0 },
  };
}
