// Statements, in order: blocks, branches and loops (joined where control flow merges, loops to a fixed
// point), try/with/match, decorators, Python 2's exec statement.
import type { Interpreter } from "../interpreter.js";
import type { Changes } from "../journaled-vars.js";
import { EMPTY, joinValues, taintOnly } from "../values.js";
import { enter } from "./budget.js";
import { defineClass } from "./classes.js";
import { evaluate } from "./expressions.js";
import { defineFunction } from "./functions.js";
import { clearTaint, guardOf, isValidated, markValidated, verificationIn } from "./guards.js";
import { execImport, execImportFrom } from "./imports.js";
import { assign, elementOf } from "./names.js";
import { reportHit } from "./sinks.js";
import type { Node } from "./state.js";

/** Passes over a loop body at most; fewer when a pass changes nothing (its fixed point). */
export const LOOP_PASSES = 2;

export function alwaysExits(block: Node): boolean {
  const last = block.namedChildren.at(-1);
  if (!last) return false;
  return (
    last.type === "return_statement" ||
    last.type === "raise_statement" ||
    last.type === "continue_statement" ||
    last.type === "break_statement"
  );
}

export function execBlock(it: Interpreter, block: Node): void {
  for (const statement of block.namedChildren) execStatement(it, statement);
}

export function execStatement(it: Interpreter, node: Node): void {
  if (!enter(it, node)) return;
  execStatementNode(it, node);
  it.nesting--;
}

export function execStatementNode(it: Interpreter, node: Node): void {
  switch (node.type) {
    case "expression_statement":
      for (const child of node.namedChildren) evaluate(it, child);
      return;
    case "return_statement": {
      const expr = node.namedChildren[0];
      const value = expr ? evaluate(it, expr) : EMPTY;
      it.scope.returns = joinValues(it.scope.returns, value);
      return;
    }
    case "if_statement":
      return execIf(it, node);
    case "for_statement":
      return execFor(it, node);
    case "while_statement":
      return execWhile(it, node);
    case "try_statement":
      return execTry(it, node);
    case "with_statement":
      return execWith(it, node);
    case "function_definition":
      defineFunction(it, node, []);
      return;
    case "class_definition":
      defineClass(it, node, []);
      return;
    case "decorated_definition":
      return execDecorated(it, node);
    case "import_statement":
      return execImport(it, node);
    case "import_from_statement":
      return execImportFrom(it, node);
    case "global_statement":
    case "nonlocal_statement":
      for (const name of node.namedChildren) it.scope.globals.add(name.text);
      return;
    case "match_statement":
      return execMatch(it, node);
    case "exec_statement":
      return execPython2Exec(it, node);
    case "assert_statement": {
      const condition = node.namedChildren[0];
      const verification = condition ? verificationIn(it, condition) : undefined;
      if (verification && !verification.negated) markValidated(it, true);
      for (const child of node.namedChildren) evaluate(it, child);
      return;
    }
    case "raise_statement":
    case "print_statement":
    case "delete_statement":
      for (const child of node.namedChildren) evaluate(it, child);
      return;
    case "block":
    case "module":
    case "ERROR":
      // Error recovery: statements inside a broken region are still analysed.
      for (const child of node.namedChildren) execStatement(it, child);
      return;
    default:
      return;
  }
}

export function execIf(it: Interpreter, node: Node): void {
  const condition = node.childForFieldName("condition");
  if (condition) evaluate(it, condition);
  const consequence = node.childForFieldName("consequence");
  const guard = condition ? guardOf(it, condition) : undefined;
  const verification = condition ? verificationIn(it, condition) : undefined;
  const vars = it.scope.vars;
  const mark = vars.mark();
  const branches: Changes[] = [];
  if (consequence) {
    if (guard && !guard.negated) clearTaint(it, guard.names);
    const wasValidated = isValidated(it);
    const passes = verification !== undefined && !verification.negated;
    if (passes) markValidated(it, true);
    execBlock(it, consequence);
    if (passes) markValidated(it, wasValidated);
    if (!alwaysExits(consequence)) branches.push(vars.changesSince(mark));
    // `if not hmac.compare_digest(...): raise` — past it, only verified payloads go on. A check that merely
    // logs (fail-open) verifies nothing.
    if (verification && alwaysExits(consequence)) markValidated(it, true);
  }
  let elseSeen = false;
  let guardHolds = guard?.negated ?? false;
  for (const clause of node.childrenForFieldName("alternative")) {
    vars.rollBack(mark);
    if (clause.type === "elif_clause") {
      const elifCondition = clause.childForFieldName("condition");
      if (elifCondition) evaluate(it, elifCondition);
      const body = clause.childForFieldName("consequence");
      if (body) {
        execBlock(it, body);
        if (!alwaysExits(body)) branches.push(vars.changesSince(mark));
      }
      guardHolds = false;
    } else {
      elseSeen = true;
      if (guard?.negated) clearTaint(it, guard.names);
      const body = clause.childForFieldName("body");
      if (body) {
        execBlock(it, body);
        if (!alwaysExits(body)) branches.push(vars.changesSince(mark));
      }
    }
  }
  if (!elseSeen) {
    vars.rollBack(mark);
    // `if x not in ALLOWED: raise` leaves only allowed values of x on the way out.
    if (guardHolds && consequence && alwaysExits(consequence)) clearTaint(it, guard!.names);
    branches.push(vars.changesSince(mark));
  }
  vars.mergeAndClose(mark, branches);
}

export function execFor(it: Interpreter, node: Node): void {
  const right = node.childForFieldName("right");
  const left = node.childForFieldName("left");
  const iterable = right ? evaluate(it, right) : EMPTY;
  const element = elementOf(iterable);
  const body = node.childForFieldName("body");
  execLoop(it, () => {
    if (left) assign(it, left, element, left);
    if (body) execBlock(it, body);
  });
  const alternative = node.childForFieldName("alternative");
  const elseBody = alternative?.childForFieldName("body");
  if (elseBody) execBlock(it, elseBody);
}

export function execWhile(it: Interpreter, node: Node): void {
  const condition = node.childForFieldName("condition");
  const body = node.childForFieldName("body");
  execLoop(it, () => {
    if (condition) evaluate(it, condition);
    if (body) execBlock(it, body);
  });
  const alternative = node.childForFieldName("alternative");
  const elseBody = alternative?.childForFieldName("body");
  if (elseBody) execBlock(it, elseBody);
}

/**
 * Runs a loop body until its state stops changing (at most LOOP_PASSES passes), joining each pass with
 * the state before it (the body may run zero times). A second pass carries values from the end of the
 * body to its beginning. Inside a repeated pass of an enclosing loop, nested loops take one pass: their
 * own loop-carried values were followed on the enclosing loop's first pass, and two passes at every level
 * would cost 2^depth (30 nested loops never finished).
 */
export function execLoop(it: Interpreter, pass: () => void): void {
  const vars = it.scope.vars;
  const passes = it.repeatedPassDepth > 0 ? 1 : LOOP_PASSES;
  for (let n = 0; n < passes; n++) {
    const mark = vars.mark();
    if (n > 0) it.repeatedPassDepth++;
    try {
      pass();
    } finally {
      if (n > 0) it.repeatedPassDepth--;
    }
    const changed = vars.mergeAndClose(mark, [vars.changesSince(mark), new Map()]);
    if (!changed) break;
  }
}

export function execTry(it: Interpreter, node: Node): void {
  const vars = it.scope.vars;
  const mark = vars.mark();
  const body = node.childForFieldName("body");
  if (body) execBlock(it, body);
  const afterBody = vars.changesSince(mark);
  const hasElse = node.namedChildren.some((c) => c.type === "else_clause");
  const outcomes: Changes[] = [];
  let finallyBody: Node | null = null;
  for (const clause of node.namedChildren) {
    if (clause.type === "except_clause" || clause.type === "except_group_clause") {
      // The body may have stopped anywhere: either before it or after it.
      vars.joinInto(mark, [afterBody, new Map()]);
      for (const child of clause.namedChildren) {
        if (child.type === "block") execBlock(it, child);
      }
      outcomes.push(vars.changesSince(mark));
    } else if (clause.type === "else_clause") {
      vars.joinInto(mark, [afterBody]);
      const elseBody = clause.childForFieldName("body");
      if (elseBody) execBlock(it, elseBody);
      outcomes.unshift(vars.changesSince(mark));
    } else if (clause.type === "finally_clause") {
      finallyBody = clause.namedChildren.find((c) => c.type === "block") ?? null;
    }
  }
  if (outcomes.length === 0 || !hasElse) outcomes.unshift(afterBody);
  vars.mergeAndClose(mark, outcomes);
  if (finallyBody) execBlock(it, finallyBody);
}

export function execWith(it: Interpreter, node: Node): void {
  const clause = node.namedChildren.find((c) => c.type === "with_clause");
  for (const item of clause?.namedChildren ?? []) {
    const value = item.childForFieldName("value");
    if (!value) continue;
    if (value.type === "as_pattern") {
      const expression = value.namedChildren[0];
      const alias = value.childForFieldName("alias");
      const evaluated = expression ? evaluate(it, expression) : EMPTY;
      const target = alias?.namedChildren[0];
      if (target) assign(it, target, evaluated, target);
    } else evaluate(it, value);
  }
  const body = node.childForFieldName("body");
  if (body) execBlock(it, body);
}

export function execMatch(it: Interpreter, node: Node): void {
  const subject = node.childForFieldName("subject");
  const subjectValue = subject ? evaluate(it, subject) : EMPTY;
  const body = node.childForFieldName("body");
  const vars = it.scope.vars;
  const mark = vars.mark();
  // No case may match: the state before the match is one way out.
  const outcomes: Changes[] = [new Map()];
  for (const clause of body?.namedChildren ?? []) {
    if (clause.type !== "case_clause") continue;
    vars.rollBack(mark);
    for (const pattern of clause.namedChildren.filter((c) => c.type === "case_pattern")) {
      // Capture names in a pattern take (part of) the subject.
      for (const name of pattern.descendantsOfType("identifier"))
        it.scope.vars.set(name.text, taintOnly(subjectValue.taints));
    }
    const consequence = clause.childForFieldName("consequence");
    if (consequence) execBlock(it, consequence);
    outcomes.push(vars.changesSince(mark));
  }
  vars.mergeAndClose(mark, outcomes);
}

export function execPython2Exec(it: Interpreter, node: Node): void {
  const code = node.childForFieldName("code") ?? node.namedChildren[0];
  if (!code) return;
  const value = evaluate(it, code);
  const sink = it.models.sinks.match("builtins.exec");
  if (sink) reportHit(it, sink, node, node, "exec", [{ node: code, value }], new Map(), value);
}

export function execDecorated(it: Interpreter, node: Node): void {
  const definition = node.childForFieldName("definition");
  const decorators = node.namedChildren.filter((c) => c.type === "decorator");
  const paths = decorators.map((d) => {
    const expr = d.namedChildren[0];
    return expr ? evaluate(it, expr) : EMPTY;
  });
  if (!definition) return;
  if (definition.type === "function_definition") defineFunction(it, definition, paths, decorators);
  else if (definition.type === "class_definition") defineClass(it, definition, paths);
}
