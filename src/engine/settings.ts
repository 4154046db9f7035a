// What the engine takes from a repository's configuration. The engine never reads `.github/rce-guard.yml`:
// src/config.ts parses it and maps it onto these settings (`engineSettings`), which the composition root
// (src/run-analysis.ts) passes in with the rules.
import type { Severity } from "./types.js";

/** A rule switched off, or reported at another severity. */
export interface RuleSettings {
  enabled: boolean;
  severity?: Severity;
}

/** An extra model row from the configuration: an API path and, for sources and sinks, a kind. */
export interface ModelRowSettings {
  /** API path, e.g. `mycorp.llm.ask()` for the result of calling `mycorp.llm.ask`. */
  api: string;
  kind?: string;
}

export interface EngineSettings {
  /** By rule id; rules absent here run at their default severity. */
  rules: Readonly<Record<string, RuleSettings>>;
  /** Glob patterns (relative to the repository root) never analysed. */
  exclude: readonly string[];
  sources: readonly ModelRowSettings[];
  sinks: readonly ModelRowSettings[];
  sanitizers: readonly ModelRowSettings[];
  /**
   * Report code and import sinks fed by a public function's parameter, in a package that calls a model,
   * as possible model output (lower confidence; see sink-fallback.ts). Off when absent.
   */
  sinkSideFallback?: boolean;
}

/** Every rule on at its default severity, nothing excluded, no extra rows. */
export const DEFAULT_SETTINGS: Readonly<EngineSettings> = Object.freeze({
  rules: {},
  exclude: [],
  sources: [],
  sinks: [],
  sanitizers: [],
});
