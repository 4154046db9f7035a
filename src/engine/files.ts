// Which files the rules read: Python sources, Jupyter notebooks (their code cells, notebook.ts) and the
// dependency manifests that decide version gates.
// One definition for the CLI's directory walk, the App's selection of changed files and the engine.
import { manifestKind } from "./dependencies/manifests.js";

export function isAnalysedFile(path: string): boolean {
  return /\.(pyi?|ipynb)$/.test(path) || manifestKind(path) !== null;
}

/** Files larger than this are skipped and listed by the CLI and the App (generated code, vendored bundles). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
