// The composition root: the one call both front doors (CLI and App) make. It wires what the engine takes as
// inputs — the bundled rules (rules/index.ts), models and advisories (rules/models/), the repository config
// mapped onto engine settings — and the parse threads. The engine itself imports none of these.
import { availableParallelism } from "node:os";
import { RULES } from "../rules/index.js";
import { type Config, DEFAULT_CONFIG, engineSettings } from "./config.js";
import {
  type AnalysisOptions,
  type AnalysisResult,
  analyze,
  analyzeAsync,
  type Rule,
  type SourceFile,
} from "./engine/index.js";
import { readDependencyPins } from "./manifests/index.js";
import { bundledAdvisories, bundledModels } from "./models.js";
import { releaseNativeMemory } from "./native-memory.js";
import { ParsePool } from "./parse-pool.js";

export interface RunOptions
  extends Omit<
    AnalysisOptions,
    "models" | "advisories" | "dependencies" | "parsedTree" | "rules" | "settings"
  > {
  /** The repository configuration (default: `DEFAULT_CONFIG`); its engine settings are passed on. */
  config?: Readonly<Config>;
  /** Default: every bundled rule (`RULES`). */
  rules?: readonly Rule[];
}

/**
 * The engine's inputs besides the files: bundled rules, models and advisories, settings from the config, and
 * the dependency pins of the files' manifests (src/manifests/ reads them; the engine parses no manifest).
 */
function engineInputs(files: readonly SourceFile[], options: RunOptions) {
  const { config = DEFAULT_CONFIG, rules = RULES, ...rest } = options;
  return {
    ...rest,
    rules,
    settings: engineSettings(config),
    models: bundledModels(),
    advisories: bundledAdvisories(),
    dependencies: readDependencyPins(files),
  };
}

export function runAnalysis(files: readonly SourceFile[], options: RunOptions = {}): AnalysisResult {
  return analyze(files, engineInputs(files, options));
}

/** Below this much Python to parse, starting threads costs more than it saves. */
const PARALLEL_FROM_BYTES = 1024 * 1024;

export interface AsyncRunOptions extends RunOptions {
  /**
   * Threads that parse ahead while this one interprets; default: one per core beyond this one (at most 3),
   * none for less than 1 MiB of Python to parse. Findings are the same with any number.
   */
  parseThreads?: number;
  /** Told the path of each module as its interpretation begins (the App's watchdog names the file in progress). */
  onModule?: (path: string) => void;
}

/**
 * As `runAnalysis`, pausing between modules so native parser memory is released as it goes, and parsing
 * ahead on other threads when the work is large enough.
 */
export async function runAnalysisAsync(
  files: readonly SourceFile[],
  options: AsyncRunOptions = {},
): Promise<AnalysisResult> {
  const { parseThreads, onModule, ...rest } = options;
  let pool: ParsePool | undefined;
  try {
    return await analyzeAsync(files, {
      ...engineInputs(files, rest),
      pause: releaseNativeMemory,
      planned: (modules) => {
        const bytes = modules.reduce((sum, m) => sum + m.text.length, 0);
        const threads =
          parseThreads ?? (bytes < PARALLEL_FROM_BYTES ? 0 : Math.min(3, availableParallelism() - 1));
        pool = ParsePool.create(threads);
        pool?.schedule(modules);
      },
      parsedTree: (path, text) => pool?.take(path, text),
      beforeModule: (path) => {
        onModule?.(path);
        pool?.reached(path);
        return pool?.ready(path) ?? Promise.resolve();
      },
    });
  } finally {
    await pool?.close();
  }
}
