export interface ExportedTree {
  /** Six int32 per visible node, pre-order: symbol, field id, start, end (UTF-16 indexes), descendant count, flags (1 named, 2 missing). */
  records: Int32Array;
  hasError: boolean;
}

export interface TreeExport {
  /** `timeoutMs` (optional, > 0): null when the parse runs past it. */
  exportTree(language: unknown, text: string, timeoutMs?: number): ExportedTree | null;
  symbolNames(language: unknown): string[];
  fieldNames(language: unknown): string[];
}

export const treeExport: TreeExport | null;

/** Path of the parsing thread's script (see parse-worker.cjs). */
export const parseWorkerPath: string;
