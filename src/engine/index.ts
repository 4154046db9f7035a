// Public entry point of the pure analysis engine: files in, findings out. No I/O, no logging, never throws.
export type * from "./types.js";
export { type AnalysisOptions, analyze, analyzeAsync } from "./analyze.js";
