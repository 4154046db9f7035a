// The one call both front doors (CLI and App) make: bundled models + repository config + engine.
import { type AnalysisOptions, analyze, analyzeAsync } from "./engine/analyze.js";
import type { AnalysisResult, SourceFile } from "./engine/types.js";
import { bundledAdvisories, bundledModels } from "./models.js";
import { releaseNativeMemory } from "./native-memory.js";

export type RunOptions = Omit<AnalysisOptions, "models" | "advisories">;

export function runAnalysis(files: readonly SourceFile[], options: RunOptions = {}): AnalysisResult {
  return analyze(files, { ...options, models: bundledModels(), advisories: bundledAdvisories() });
}

/** As `runAnalysis`, pausing between modules so native parser memory is released as it goes. */
export function runAnalysisAsync(files: readonly SourceFile[], options: RunOptions = {}): Promise<AnalysisResult> {
  return analyzeAsync(files, {
    ...options,
    models: bundledModels(),
    advisories: bundledAdvisories(),
    pause: releaseNativeMemory,
  });
}
