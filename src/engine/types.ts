// The engine's public contract. The CLI, the App and the reporters depend only on these types.

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export type Confidence = "high" | "medium" | "low";

/** 1-based lines, 1-based columns (as editors, SARIF and GitHub count them); end is inclusive of the last character. */
export interface Span {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Location extends Span {
  path: string;
  /**
   * In a Jupyter notebook (`.ipynb`), where the code is as its reader sees it: the cell (1-based, counting
   * every cell, markdown too) and the span within that cell's source. The span above is then in the
   * notebook file itself (the line of the JSON that holds the code), which is what GitHub shows.
   */
  cell?: CellSpan;
}

export interface CellSpan extends Span {
  cell: number;
}

/** One hop of a taint trace, from the source (first) to the sink (last). */
export interface TraceStep {
  location: Location;
  /** What happened here, e.g. "output of `client.chat.completions.create`" or "assigned to `code`". */
  note: string;
}

/** Where the data reaching a sink comes from, strongest first when several reach it. */
export type ProvenanceKind = "llm" | "remote" | "parameter" | "constant" | "unknown";

export interface Fix {
  description: string;
  /** "safe": keeps behaviour except the unsafe part; "unsafe": may change behaviour, needs review. */
  safety: "safe" | "unsafe";
  /** Replace the text at `span` (same file as the finding) with `replacement`. */
  edits: { span: Span; replacement: string }[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  cwe: number[];
  message: string;
  /** The sink argument (or the call, when the sink has no single argument). */
  location: Location;
  /** The sink call expression as written, for code frames and fingerprints. */
  sinkCallee: string;
  provenance: ProvenanceKind;
  trace: TraceStep[];
  remediation: string;
  helpUri: string;
  fix?: Fix;
  /** Stable across unrelated edits (line shifts): rule, path, enclosing scope, sink and argument text. */
  fingerprint: string;
  /** Present when an inline `# rce-guard: ignore[RULE] reason` comment covers the finding. */
  suppression?: { reason: string; location: Location };
}

export interface Diagnostic {
  path: string;
  severity: "error" | "warning" | "note";
  message: string;
  line?: number;
  /**
   * Set when the file was not fully analysed, so it must never read as clean: `"file"` — nothing of it
   * was analysed (too large, binary, nesting past what the parser takes, budget spent before it began);
   * `"part"` — analysed up to a point (the budget ran out in it, a construct too deep to follow, an
   * internal error). Every front door names such files; the CLI exits non-zero for them and the App's
   * check does not pass, unless configured otherwise. Syntax errors are not this: CPython cannot run the
   * file either, and what parses is analysed.
   */
  incomplete?: "file" | "part";
}

export interface SourceFile {
  path: string;
  text: string;
}

/** Inclusive 1-based line ranges. */
export type LineRanges = readonly (readonly [number, number])[];

export interface AnalysisResult {
  /** Reported findings (after the changed-lines filter), suppressed ones excluded. */
  findings: Finding[];
  /** Findings covered by an inline suppression: counted and listed, never silently dropped. */
  suppressed: Finding[];
  diagnostics: Diagnostic[];
  /** `interpreted`: modules parsed and interpreted (the relevance filter skips the rest), and their size. */
  /** `steps`: statements and expressions interpreted, a measure of work that does not depend on the machine. */
  stats: {
    files: number;
    bytes: number;
    parseErrors: number;
    interpreted: number;
    interpretedBytes: number;
    steps: number;
  };
}

/** The files a result could not fully analyse, each with the first reason given (diagnostics with `incomplete`). */
export function incompleteFiles(
  result: Pick<AnalysisResult, "diagnostics">,
): { path: string; reason: string; incomplete: "file" | "part" }[] {
  const seen = new Map<string, { path: string; reason: string; incomplete: "file" | "part" }>();
  for (const d of result.diagnostics) {
    if (!d.incomplete || seen.has(d.path)) continue;
    seen.set(d.path, { path: d.path, reason: d.message, incomplete: d.incomplete });
  }
  return [...seen.values()];
}
