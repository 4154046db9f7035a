// The interpreter's limits: every statement and expression entered counts one step and one level of
// nesting; past MAX_NESTING the code is read flatly, past the deadline the file is cut off. What could not be
// followed is named per file (`note`), never dropped.
import type { Interpreter } from "../interpreter.js";
import type { Diagnostic } from "../types.js";
import type { Node } from "./state.js";

/**
 * Statements and expressions interpreted inside one another, across calls, at most: the JavaScript stack's
 * measure. Deeper code (a 5,000-term chain of calls or attributes) is read flatly (see `evaluateFlat`) and
 * the file is named as not fully analysed, instead of a stack overflow that would lose the whole file.
 */
export const MAX_NESTING = 400;

/** The least time a parse is given when a budget applies (milliseconds). */
export const MIN_PARSE_MS = 250;

/** How often (in evaluated nodes) the budget's clock is read. */
export const BUDGET_CHECK_EVERY = 4096;

/** Thrown when the time budget runs out; the analysis names the file and goes on with the next one. */
export class BudgetExceeded extends Error {
  constructor(
    readonly budgetMs: number,
    readonly path: string,
    readonly line: number,
    readonly stage: "while parsing" | "while interpreting" = "while interpreting",
  ) {
    super(`exceeded the time budget of ${formatSeconds(budgetMs)}`);
  }
}

export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Counts one level of nesting and one step of work; false (and the file named) past MAX_NESTING. Throws
 * BudgetExceeded when the time budget is spent.
 */
export function enter(it: Interpreter, node: Node): boolean {
  if ((++it.steps & (BUDGET_CHECK_EVERY - 1)) === 0 && it.deadline && it.deadline.clock() > it.deadline.at) {
    throw new BudgetExceeded(it.deadline.budgetMs, it.module.path, node.startPosition.row + 1);
  }
  if (it.nesting >= MAX_NESTING) {
    note(
      it,
      node,
      "nesting",
      `code nested more than ${MAX_NESTING} levels deep (counting calls) at line ${node.startPosition.row + 1}: read without following calls inside it`,
    );
    return false;
  }
  it.nesting++;
  return true;
}

/**
 * Reports what could not be followed in this file, once per file and reason. `incomplete` names the file
 * as not fully analysed (it must not read as clean); without it the diagnostic is a note.
 */
export function note(
  it: Interpreter,
  node: Node,
  reason: string,
  message: string,
  incomplete: Diagnostic["incomplete"] = "part",
): void {
  const key = `${it.module.path}\u0000${reason}`;
  if (it.reported.has(key)) return;
  it.reported.add(key);
  const line = node.startPosition.row + 1;
  if (incomplete)
    it.diagnostics.push({ path: it.module.path, severity: "warning", line, message, incomplete });
  else it.diagnostics.push({ path: it.module.path, severity: "note", line, message });
}
