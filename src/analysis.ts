// The one call both front doors (CLI and App) make: bundled models + repository config + engine.
import { type AnalysisOptions, analyze } from "./engine/analyze.js";
import type { AnalysisResult, SourceFile } from "./engine/types.js";
import { bundledAdvisories, bundledModels } from "./models.js";

export type RunOptions = Omit<AnalysisOptions, "models" | "advisories">;

export function runAnalysis(files: readonly SourceFile[], options: RunOptions = {}): AnalysisResult {
  return analyze(files, { ...options, models: bundledModels(), advisories: bundledAdvisories() });
}
