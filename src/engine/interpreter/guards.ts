// Conditions that stop a flow: allowlist checks (`x in ALLOWED`, `x == "ls"`, a full-match guard function)
// clear a name's taint on the branch where they hold; payload validators (HMAC, picklescan) mark the
// function as validated for the sinks after them.
import type { Interpreter } from "../interpreter.js";
import { isTainted, withTaints } from "../values.js";
import { evaluateQuietly } from "./expressions.js";
import { isNameLike, lookup } from "./names.js";
import type { Node, Scope } from "./state.js";

/** Names an allowlist check in `condition` vouches for: `x in ALLOWED`, `x == "ls"`, a guard call (`re.fullmatch(p, x)`). */
export function guardOf(it: Interpreter, condition: Node): { names: string[]; negated: boolean } | undefined {
  let node = condition;
  let negated = false;
  while (node.type === "parenthesized_expression" && node.namedChildren[0]) node = node.namedChildren[0];
  if (node.type === "not_operator") {
    const argument = node.childForFieldName("argument");
    if (!argument) return undefined;
    const inner = guardOf(it, argument);
    return inner ? { names: inner.names, negated: !inner.negated } : undefined;
  }
  if (node.type === "boolean_operator") {
    const operator = node.childForFieldName("operator")?.text;
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const parts = [left, right].map((side) => (side ? guardOf(it, side) : undefined));
    if (operator === "and") {
      const names = parts.filter((p) => p && !p.negated).flatMap((p) => p!.names);
      return names.length > 0 ? { names, negated: false } : undefined;
    }
    return undefined;
  }
  if (node.type === "comparison_operator") {
    const operands = node.namedChildren;
    const operators = node.children.filter((c) => !c.isNamed).map((c) => c.text);
    if (operands.length !== 2 || operators.length === 0) return undefined;
    const op = operators.join(" ");
    const subject = operands[0]!;
    if (!isNameLike(subject)) return undefined;
    if (op === "in" || op === "not in") {
      negated = op === "not in";
      return { names: [subject.text, ...dottedNameOf(it, subject.text)], negated };
    }
    if ((op === "==" || op === "!=") && isConstantExpression(operands[1]!)) {
      return { names: [subject.text], negated: op === "!=" };
    }
    return undefined;
  }
  if (node.type === "call") {
    const callee = node.childForFieldName("function");
    const calleePath = callee ? evaluateQuietly(it, callee).path : undefined;
    const guard = calleePath !== undefined ? it.models.allowlistGuards.match(calleePath) : undefined;
    if (guard) {
      const target = node.childForFieldName("arguments")?.namedChildren[guard.subject];
      if (target && isNameLike(target)) return { names: [target.text], negated: false };
    }
  }
  return undefined;
}

/**
 * Whether `condition` consults a payload validator (HMAC, signature, picklescan), directly or through
 * its result (`result = scan_file_path(p)` then `if result.infected_files: raise`), and whether negated.
 */
export function verificationIn(it: Interpreter, condition: Node): { negated: boolean } | undefined {
  let node = condition;
  let negated = false;
  for (;;) {
    if (node.type === "parenthesized_expression" && node.namedChildren[0]) node = node.namedChildren[0];
    else if (node.type === "not_operator" && node.childForFieldName("argument")) {
      negated = !negated;
      node = node.childForFieldName("argument")!;
    } else break;
  }
  const parts = [node, ...node.descendantsOfType("call"), ...node.descendantsOfType("identifier")];
  const consults = parts.some((part) => {
    if (part.type === "call") {
      const callee = part.childForFieldName("function");
      const path = callee ? evaluateQuietly(it, callee).path : undefined;
      return path !== undefined && it.models.validators.match(path) !== undefined;
    }
    if (part.type === "identifier" || part.type === "attribute")
      return evaluateQuietly(it, part).verdict === true;
    return false;
  });
  return consults ? { negated } : undefined;
}

/**
 * `library = module.split(".")[0]` then `if library in ALLOWED`: an allowlisted top-level package vouches for
 * the dotted name it was taken from (what an import allowlist checks). Found by the assignment in the
 * function that holds the check.
 */
function dottedNameOf(it: Interpreter, name: string): string[] {
  // Only a tainted name has anything to vouch for: the function body is searched only then.
  if (!/^\w+$/.test(name) || !isTainted(lookup(it, name) ?? {})) return [];
  const body = it.scope.owner?.node?.childForFieldName("body");
  if (!body) return [];
  const out: string[] = [];
  for (const assignment of body.descendantsOfType("assignment")) {
    if (assignment.childForFieldName("left")?.text !== name) continue;
    const right = assignment.childForFieldName("right")?.text ?? "";
    const match = /^([A-Za-z_][\w.]*)\.(?:split|partition)\(\s*["']\.["']\s*(?:,\s*1\s*)?\)\[0\]$/.exec(
      right,
    );
    if (match && !out.includes(match[1]!)) out.push(match[1]!);
  }
  return out;
}

export function isConstantExpression(node: Node): boolean {
  // An f-string is not a constant: `x == f"{other}"` vouches for nothing.
  if (node.type === "string") return !node.namedChildren.some((c) => c.type === "interpolation");
  return ["integer", "float", "true", "false", "none"].includes(node.type);
}

export function clearTaint(it: Interpreter, names: string[]): void {
  for (const name of names) {
    const value = lookup(it, name);
    if (value && isTainted(value)) it.scope.vars.set(name, withTaints(value, undefined));
  }
}

export function markValidated(it: Interpreter, validated: boolean): void {
  for (let s: Scope | undefined = it.scope; s; s = s.parent) {
    s.validated = validated;
    if (s.kind === "function" || s.kind === "module") break;
  }
}

export function isValidated(it: Interpreter): boolean {
  for (let s: Scope | undefined = it.scope; s; s = s.parent) {
    if (s.validated) return true;
    if (s.kind === "function" || s.kind === "module") break;
  }
  return false;
}
