// An abstract interpreter over tree-sitter's Python tree. It never runs the code: it walks statements in
// order, keeps for each name an abstract Value (API path, taint, literal, user function or class), joins
// values where control flow merges, and summarises user functions (parameter → return, parameter → sink)
// so that flows through helpers, methods and other modules of the scanned set are found.
import type { ArgumentCondition, CompiledModels, MethodSinkModel, SinkModel } from "./models.js";
import type { ModuleTable, PythonModule } from "./modules.js";
import { type ParsedFile, parsePython } from "./parse.js";
import { type Changes, JournaledVars } from "./journaled-vars.js";
import { plainStringValue, type SyntaxNode } from "./syntax.js";
import type { Diagnostic, Location, ProvenanceKind, Span, TraceStep } from "./types.js";
import {
  addStep,
  appendStep,
  type ClassRef,
  EMPTY,
  type FunctionRef,
  isTainted,
  joinValues,
  type ModuleRef,
  mergeTaints,
  type Taint,
  taintOnly,
  type Value,
  withTaints,
} from "./values.js";

type Node = SyntaxNode;

/** A call that reached a modelled sink, with what the interpreter knows about its input. */
export interface SinkHit {
  sink: SinkModel | MethodSinkModel;
  /** Where the input argument is (the call itself when the input is implicit). */
  location: Location;
  callLocation: Location;
  /** The callee as written, e.g. `subprocess.run`. */
  callee: string;
  /** The input argument as written (whitespace folded), for fingerprints. */
  inputText: string;
  /** Qualified name of the function holding the sink ("<module>" at top level). */
  scopeName: string;
  taints: readonly Taint[];
  /** The input is built from literals only (a constant path, a literal string). */
  constantInput: boolean;
  /** A payload validator (HMAC, picklescan) ran earlier in the same function. */
  validated: boolean;
  /** The keyword a version gate is about is absent from this call. */
  gateKeywordAbsent: boolean;
  /** Span of the callee (for callee-replacing fixes) and of each keyword argument. */
  calleeSpan: Span;
  keywordSpans: Record<string, { span: Span; removal: Span; valueText: string }>;
  /** Arguments as written, for fixes that only apply to the simplest form. */
  argumentCount: number;
  /** End of the argument list's content, for fixes that add a keyword. */
  argumentsEnd: Span;
  hasArguments: boolean;
}

interface Param {
  name: string;
  index: number;
  kind: "positional" | "args" | "kwargs" | "keyword_only";
  annotation: Node | null;
  location: Span;
}

interface Summary {
  returns: Value;
  /** Sinks reached by a parameter: replayed at each call site with the arguments' taint. */
  paramHits: SinkHit[];
}

interface FunctionInfo extends FunctionRef {
  qualname: string;
  /** Released once the summary exists (the tree goes with it). */
  node: Node | undefined;
  location: Location;
  module: PythonModule;
  params: Param[];
  definingScope: Scope;
  cls?: ClassInfo;
  isLambda: boolean;
  /** Parameters the model chooses (tool handlers) or the network fills (request handlers). */
  paramSource?: { kind: "llm" | "remote"; why: string };
  isStatic: boolean;
  isClassMethod: boolean;
  /** `@property` / `@cached_property`: reading the attribute calls it. */
  isProperty?: boolean;
  summary?: Summary;
  computing: boolean;
}

interface ClassInfo extends ClassRef {
  qualname: string;
  module: PythonModule;
  scope: Scope;
  methods: Map<string, FunctionInfo>;
  attrs: Map<string, Value>;
  bases: Value[];
  attrsReady: boolean;
}

interface ModuleInfo extends ModuleRef {
  source: PythonModule;
}

class Scope {
  readonly vars = new JournaledVars();
  readonly globals = new Set<string>();
  returns: Value | undefined;
  validated = false;
  summaryHits: SinkHit[] | undefined;
  constructor(
    readonly kind: "module" | "function" | "class" | "comprehension",
    readonly parent: Scope | undefined,
    readonly owner: FunctionInfo | undefined,
    readonly name: string,
  ) {}
}

/** Passes over a loop body at most; fewer when a pass changes nothing (its fixed point). */
const LOOP_PASSES = 2;
const MAX_CALL_DEPTH = 100;
/**
 * Statements and expressions interpreted inside one another, across calls, at most: the JavaScript stack's
 * measure. Deeper code (a 5,000-term chain of calls or attributes) is read flatly (see `evaluateFlat`) and
 * the file is named as not fully analysed, instead of a stack overflow that would lose the whole file.
 */
const MAX_NESTING = 400;
/** How often (in evaluated nodes) the budget's clock is read. */
const BUDGET_CHECK_EVERY = 4096;
/** Items of a list value kept at most (`[x] + [x] + ...` must not grow quadratically). */
const MAX_ITEMS = 256;

/** Thrown when the time budget runs out; the analysis names the file and goes on with the next one. */
export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number, readonly path: string, readonly line: number) {
    super(`exceeded the time budget of ${formatSeconds(budgetMs)}`);
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export class Interpreter {
  readonly hits: SinkHit[] = [];
  private callDepth = 0;
  private readonly moduleInfos = new Map<string, ModuleInfo>();
  private module!: PythonModule;
  private scope!: Scope;

  /** Subclasses by the name of a base they list, read from the text of the modules that may matter. */
  private readonly subclassIndex = new Map<string, { module: PythonModule; className: string }[]>();

  constructor(
    private readonly models: CompiledModels,
    private readonly modules: ModuleTable,
    /** Modules whose classes can override a method with one that matters (sources or sinks in them). */
    relevantModules: readonly PythonModule[] = modules.modules,
    /** How a module's text becomes a tree (the adapters may hand over trees parsed elsewhere). */
    private readonly parse: (mod: PythonModule) => ParsedFile = (mod) => parsePython(mod.text),
  ) {
    for (const mod of relevantModules) {
      for (const match of mod.text.matchAll(CLASS_HEADER)) {
        for (const base of match[2]!.split(",")) {
          const name = base.replace(/\[.*$/s, "").trim().split(".").pop();
          if (!name || name.includes("=")) continue;
          const list = this.subclassIndex.get(name) ?? [];
          list.push({ module: mod, className: match[1]! });
          this.subclassIndex.set(name, list);
        }
      }
    }
  }

  /**
   * Methods of subclasses that override `name` (class hierarchy analysis): `self.submit_prompt()` in a base
   * class runs whichever subclass's version the object has, e.g. one that calls an LLM.
   */
  private overridesOf(cls: ClassInfo, name: string, depth = 0): FunctionInfo[] {
    if (depth > 3) return [];
    const out: FunctionInfo[] = [];
    for (const entry of this.subclassIndex.get(cls.name) ?? []) {
      // Only overrides that can return model output are worth interpreting another module for.
      if (!entry.module.carrier) continue;
      const scope = entry.module === this.module ? this.scope : this.moduleScope(entry.module);
      const sub = (scope.vars.get(entry.className) ?? this.moduleScopeVars(entry.module)?.get(entry.className))?.cls as
        | ClassInfo
        | undefined;
      if (!sub || sub === cls || !sub.bases.some((b) => b.cls === cls)) continue;
      const method = sub.methods.get(name);
      if (method) out.push(method);
      out.push(...this.overridesOf(sub, name, depth + 1));
    }
    return out;
  }

  private moduleScopeVars(mod: PythonModule): Map<string, Value> | undefined {
    return (mod.scope as Scope | undefined)?.vars;
  }

  /** Modules interpreted so far (entries and the modules they import), and their size. */
  interpretedCount = 0;
  interpretedBytes = 0;
  /** What this interpreter could not follow (deep nesting, call chains): diagnostics, named per file. */
  readonly diagnostics: Diagnostic[] = [];
  /** Set by the analysis before each module: when to give up, by `clock`. */
  deadline: { clock: () => number; at: number; budgetMs: number } | undefined;
  private nesting = 0;
  /** Statements and expressions entered: the work done, independent of the machine (tests bound its growth). */
  steps = 0;
  private readonly reported = new Set<string>();

  /** Interprets a module (once), then summarises every function it defines so no sink goes unseen. */
  interpretModule(mod: PythonModule): Scope {
    const existing = this.moduleInfos.get(mod.name);
    if (existing?.source.scope) return existing.source.scope as Scope;
    const info: ModuleInfo = { kind: "module", name: mod.name, source: mod };
    this.moduleInfos.set(mod.name, info);
    const scope = new Scope("module", undefined, undefined, "<module>");
    mod.scope = scope;
    this.interpretedCount++;
    this.interpretedBytes += mod.text.length;
    const saved = { module: this.module, scope: this.scope, cls: this.classOfScope, repeated: this.repeatedPassDepth, nesting: this.nesting };
    this.module = mod;
    this.scope = scope;
    this.classOfScope = undefined;
    this.repeatedPassDepth = 0;
    try {
      const parsed = this.parse(mod);
      if (parsed.firstError) mod.syntaxError = parsed.firstError;
      mod.tree = parsed.root;
      this.execBlock(parsed.root);
      // Summaries of functions nobody called still hold sinks (and the medium-severity parameter hits).
      for (let i = 0; i < mod.functions.length; i++) this.summarise(mod.functions[i] as FunctionInfo);
    } finally {
      this.module = saved.module;
      this.scope = saved.scope;
      this.classOfScope = saved.cls;
      this.repeatedPassDepth = saved.repeated;
      this.nesting = saved.nesting;
      this.releaseTree(mod);
    }
    return scope;
  }

  /** Every summary is computed by now, so no node of this tree is needed again. */
  private releaseTree(mod: PythonModule): void {
    for (const fn of mod.functions as FunctionInfo[]) {
      fn.summary ??= { returns: EMPTY, paramHits: [] };
      fn.node = undefined;
      for (const param of fn.params) param.annotation = null;
    }
    delete mod.tree;
  }

  // ---------------------------------------------------------------- statements

  private execBlock(block: Node): void {
    for (const statement of block.namedChildren) this.execStatement(statement);
  }

  private execStatement(node: Node): void {
    if (!this.enter(node)) return;
    this.execStatementNode(node);
    this.nesting--;
  }

  /**
   * Counts one level of nesting and one step of work; false (and the file named) past MAX_NESTING. Throws
   * BudgetExceeded when the time budget is spent.
   */
  private enter(node: Node): boolean {
    if ((++this.steps & (BUDGET_CHECK_EVERY - 1)) === 0 && this.deadline && this.deadline.clock() > this.deadline.at) {
      throw new BudgetExceeded(this.deadline.budgetMs, this.module.path, node.startPosition.row + 1);
    }
    if (this.nesting >= MAX_NESTING) {
      this.note(node, `code nested more than ${MAX_NESTING} levels deep (counting calls) at line ${node.startPosition.row + 1}: read without following calls inside it`);
      return false;
    }
    this.nesting++;
    return true;
  }

  /** Names this file as not fully analysed, once per reason. */
  private note(node: Node, message: string, incomplete: Diagnostic["incomplete"] = "part"): void {
    const key = `${this.module.path}\u0000${message.replace(/ at line \d+.*$/, "")}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ path: this.module.path, severity: "warning", line: node.startPosition.row + 1, message, ...(incomplete ? { incomplete } : {}) });
  }

  private execStatementNode(node: Node): void {
    switch (node.type) {
      case "expression_statement":
        for (const child of node.namedChildren) this.evaluate(child);
        return;
      case "return_statement": {
        const expr = node.namedChildren[0];
        const value = expr ? this.evaluate(expr) : EMPTY;
        this.scope.returns = joinValues(this.scope.returns, value);
        return;
      }
      case "if_statement":
        return this.execIf(node);
      case "for_statement":
        return this.execFor(node);
      case "while_statement":
        return this.execWhile(node);
      case "try_statement":
        return this.execTry(node);
      case "with_statement":
        return this.execWith(node);
      case "function_definition":
        this.defineFunction(node, []);
        return;
      case "class_definition":
        this.defineClass(node, []);
        return;
      case "decorated_definition":
        return this.execDecorated(node);
      case "import_statement":
        return this.execImport(node);
      case "import_from_statement":
        return this.execImportFrom(node);
      case "global_statement":
      case "nonlocal_statement":
        for (const name of node.namedChildren) this.scope.globals.add(name.text);
        return;
      case "match_statement":
        return this.execMatch(node);
      case "exec_statement":
        return this.execPython2Exec(node);
      case "assert_statement": {
        const condition = node.namedChildren[0];
        const verification = condition ? this.verificationIn(condition) : undefined;
        if (verification && !verification.negated) this.markValidated(true);
        for (const child of node.namedChildren) this.evaluate(child);
        return;
      }
      case "raise_statement":
      case "print_statement":
      case "delete_statement":
        for (const child of node.namedChildren) this.evaluate(child);
        return;
      case "block":
      case "module":
      case "ERROR":
        // Error recovery: statements inside a broken region are still analysed.
        for (const child of node.namedChildren) this.execStatement(child);
        return;
      default:
        return;
    }
  }

  private execIf(node: Node): void {
    const condition = node.childForFieldName("condition");
    if (condition) this.evaluate(condition);
    const consequence = node.childForFieldName("consequence");
    const guard = condition ? this.guardOf(condition) : undefined;
    const verification = condition ? this.verificationIn(condition) : undefined;
    const vars = this.scope.vars;
    const mark = vars.mark();
    const branches: Changes[] = [];
    if (consequence) {
      if (guard && !guard.negated) this.clearTaint(guard.names);
      const wasValidated = this.isValidated();
      const passes = verification !== undefined && !verification.negated;
      if (passes) this.markValidated(true);
      this.execBlock(consequence);
      if (passes) this.markValidated(wasValidated);
      if (!alwaysExits(consequence)) branches.push(vars.changesSince(mark));
      // `if not hmac.compare_digest(...): raise` — past it, only verified payloads go on. A check that merely
      // logs (fail-open) verifies nothing.
      if (verification && alwaysExits(consequence)) this.markValidated(true);
    }
    let elseSeen = false;
    let guardHolds = guard?.negated ?? false;
    for (const clause of node.childrenForFieldName("alternative")) {
      vars.rollBack(mark);
      if (clause.type === "elif_clause") {
        const elifCondition = clause.childForFieldName("condition");
        if (elifCondition) this.evaluate(elifCondition);
        const body = clause.childForFieldName("consequence");
        if (body) {
          this.execBlock(body);
          if (!alwaysExits(body)) branches.push(vars.changesSince(mark));
        }
        guardHolds = false;
      } else {
        elseSeen = true;
        if (guard?.negated) this.clearTaint(guard.names);
        const body = clause.childForFieldName("body");
        if (body) {
          this.execBlock(body);
          if (!alwaysExits(body)) branches.push(vars.changesSince(mark));
        }
      }
    }
    if (!elseSeen) {
      vars.rollBack(mark);
      // `if x not in ALLOWED: raise` leaves only allowed values of x on the way out.
      if (guardHolds && consequence && alwaysExits(consequence)) this.clearTaint(guard!.names);
      branches.push(vars.changesSince(mark));
    }
    vars.mergeAndClose(mark, branches);
  }

  /** Names an allowlist check in `condition` vouches for: `x in ALLOWED`, `x == "ls"`, `re.fullmatch(p, x)`. */
  private guardOf(condition: Node): { names: string[]; negated: boolean } | undefined {
    let node = condition;
    let negated = false;
    while (node.type === "parenthesized_expression" && node.namedChildren[0]) node = node.namedChildren[0];
    if (node.type === "not_operator") {
      const argument = node.childForFieldName("argument");
      if (!argument) return undefined;
      const inner = this.guardOf(argument);
      return inner ? { names: inner.names, negated: !inner.negated } : undefined;
    }
    if (node.type === "boolean_operator") {
      const operator = node.childForFieldName("operator")?.text;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      const parts = [left, right].map((side) => (side ? this.guardOf(side) : undefined));
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
        return { names: [subject.text], negated };
      }
      if ((op === "==" || op === "!=") && this.isConstantExpression(operands[1]!)) {
        return { names: [subject.text], negated: op === "!=" };
      }
      return undefined;
    }
    if (node.type === "call") {
      const callee = node.childForFieldName("function");
      const calleePath = callee ? this.evaluateQuietly(callee).path : undefined;
      if (calleePath === "re.fullmatch" || calleePath === "regex.fullmatch") {
        const target = node.childForFieldName("arguments")?.namedChildren[1];
        if (target && isNameLike(target)) return { names: [target.text], negated: false };
      }
    }
    return undefined;
  }

  /**
   * Whether `condition` consults a payload validator (HMAC, signature, picklescan), directly or through
   * its result (`result = scan_file_path(p)` then `if result.infected_files: raise`), and whether negated.
   */
  private verificationIn(condition: Node): { negated: boolean } | undefined {
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
        const path = callee ? this.evaluateQuietly(callee).path : undefined;
        return path !== undefined && this.models.validators.match(path) !== undefined;
      }
      if (part.type === "identifier" || part.type === "attribute") return this.evaluateQuietly(part).verdict === true;
      return false;
    });
    return consults ? { negated } : undefined;
  }

  private isConstantExpression(node: Node): boolean {
    // An f-string is not a constant: `x == f"{other}"` vouches for nothing.
    if (node.type === "string") return !node.namedChildren.some((c) => c.type === "interpolation");
    return ["integer", "float", "true", "false", "none"].includes(node.type);
  }

  private clearTaint(names: string[]): void {
    for (const name of names) {
      const value = this.lookup(name);
      if (value && isTainted(value)) this.scope.vars.set(name, withTaints(value, undefined));
    }
  }

  private execFor(node: Node): void {
    const right = node.childForFieldName("right");
    const left = node.childForFieldName("left");
    const iterable = right ? this.evaluate(right) : EMPTY;
    const element = elementOf(iterable);
    const body = node.childForFieldName("body");
    this.execLoop(() => {
      if (left) this.assign(left, element, left);
      if (body) this.execBlock(body);
    });
    const alternative = node.childForFieldName("alternative");
    const elseBody = alternative?.childForFieldName("body");
    if (elseBody) this.execBlock(elseBody);
  }

  private execWhile(node: Node): void {
    const condition = node.childForFieldName("condition");
    const body = node.childForFieldName("body");
    this.execLoop(() => {
      if (condition) this.evaluate(condition);
      if (body) this.execBlock(body);
    });
    const alternative = node.childForFieldName("alternative");
    const elseBody = alternative?.childForFieldName("body");
    if (elseBody) this.execBlock(elseBody);
  }

  /** Loops entered inside a repeated pass of an enclosing loop (they take one pass: see `execLoop`). */
  private repeatedPassDepth = 0;

  /**
   * Runs a loop body until its state stops changing (at most LOOP_PASSES passes), joining each pass with
   * the state before it (the body may run zero times). A second pass carries values from the end of the
   * body to its beginning. Inside a repeated pass of an enclosing loop, nested loops take one pass: their
   * own loop-carried values were followed on the enclosing loop's first pass, and two passes at every level
   * would cost 2^depth (30 nested loops never finished).
   */
  private execLoop(pass: () => void): void {
    const vars = this.scope.vars;
    const passes = this.repeatedPassDepth > 0 ? 1 : LOOP_PASSES;
    for (let n = 0; n < passes; n++) {
      const mark = vars.mark();
      if (n > 0) this.repeatedPassDepth++;
      try {
        pass();
      } finally {
        if (n > 0) this.repeatedPassDepth--;
      }
      const changed = vars.mergeAndClose(mark, [vars.changesSince(mark), new Map()]);
      if (!changed) break;
    }
  }

  private execTry(node: Node): void {
    const vars = this.scope.vars;
    const mark = vars.mark();
    const body = node.childForFieldName("body");
    if (body) this.execBlock(body);
    const afterBody = vars.changesSince(mark);
    const hasElse = node.namedChildren.some((c) => c.type === "else_clause");
    const outcomes: Changes[] = [];
    let finallyBody: Node | null = null;
    for (const clause of node.namedChildren) {
      if (clause.type === "except_clause" || clause.type === "except_group_clause") {
        // The body may have stopped anywhere: either before it or after it.
        vars.joinInto(mark, [afterBody, new Map()]);
        for (const child of clause.namedChildren) {
          if (child.type === "block") this.execBlock(child);
        }
        outcomes.push(vars.changesSince(mark));
      } else if (clause.type === "else_clause") {
        vars.joinInto(mark, [afterBody]);
        const elseBody = clause.childForFieldName("body");
        if (elseBody) this.execBlock(elseBody);
        outcomes.unshift(vars.changesSince(mark));
      } else if (clause.type === "finally_clause") {
        finallyBody = clause.namedChildren.find((c) => c.type === "block") ?? null;
      }
    }
    if (outcomes.length === 0 || !hasElse) outcomes.unshift(afterBody);
    vars.mergeAndClose(mark, outcomes);
    if (finallyBody) this.execBlock(finallyBody);
  }

  private execWith(node: Node): void {
    const clause = node.namedChildren.find((c) => c.type === "with_clause");
    for (const item of clause?.namedChildren ?? []) {
      const value = item.childForFieldName("value");
      if (!value) continue;
      if (value.type === "as_pattern") {
        const expression = value.namedChildren[0];
        const alias = value.childForFieldName("alias");
        const evaluated = expression ? this.evaluate(expression) : EMPTY;
        const target = alias?.namedChildren[0];
        if (target) this.assign(target, evaluated, target);
      } else this.evaluate(value);
    }
    const body = node.childForFieldName("body");
    if (body) this.execBlock(body);
  }

  private execMatch(node: Node): void {
    const subject = node.childForFieldName("subject");
    const subjectValue = subject ? this.evaluate(subject) : EMPTY;
    const body = node.childForFieldName("body");
    const vars = this.scope.vars;
    const mark = vars.mark();
    // No case may match: the state before the match is one way out.
    const outcomes: Changes[] = [new Map()];
    for (const clause of body?.namedChildren ?? []) {
      if (clause.type !== "case_clause") continue;
      vars.rollBack(mark);
      for (const pattern of clause.namedChildren.filter((c) => c.type === "case_pattern")) {
        // Capture names in a pattern take (part of) the subject.
        for (const name of pattern.descendantsOfType("identifier")) this.scope.vars.set(name.text, taintOnly(subjectValue.taints));
      }
      const consequence = clause.childForFieldName("consequence");
      if (consequence) this.execBlock(consequence);
      outcomes.push(vars.changesSince(mark));
    }
    vars.mergeAndClose(mark, outcomes);
  }

  private execPython2Exec(node: Node): void {
    const code = node.childForFieldName("code") ?? node.namedChildren[0];
    if (!code) return;
    const value = this.evaluate(code);
    const sink = this.models.sinks.match("builtins.exec");
    if (sink) this.reportHit(sink, node, node, "exec", [{ node: code, value }], new Map(), value);
  }

  private execDecorated(node: Node): void {
    const definition = node.childForFieldName("definition");
    const decorators = node.namedChildren.filter((c) => c.type === "decorator");
    const paths = decorators.map((d) => {
      const expr = d.namedChildren[0];
      return expr ? this.evaluate(expr) : EMPTY;
    });
    if (!definition) return;
    if (definition.type === "function_definition") this.defineFunction(definition, paths, decorators);
    else if (definition.type === "class_definition") this.defineClass(definition, paths);
  }

  // ---------------------------------------------------------------- definitions

  private defineFunction(node: Node, decorators: Value[], decoratorNodes: Node[] = []): FunctionInfo {
    const name = node.childForFieldName("name")?.text ?? "<anonymous>";
    const owner = this.scope.kind === "class" ? this.classOfScope : undefined;
    const decoratorNames = decoratorNodes.map((d) => d.namedChildren[0]?.text ?? "");
    const fn: FunctionInfo = {
      kind: "function",
      name,
      qualname: this.qualify(name),
      node,
      location: this.locationOf(node.childForFieldName("name") ?? node),
      module: this.module,
      params: readParams(node.childForFieldName("parameters")),
      definingScope: this.scope.kind === "class" ? (this.scope.parent ?? this.scope) : this.scope,
      isLambda: false,
      isStatic: decoratorNames.includes("staticmethod"),
      isClassMethod: decoratorNames.includes("classmethod"),
      computing: false,
    };
    if (owner && decoratorNames.some((d) => /^(?:property|(?:functools\.)?cached_property)$/.test(d))) fn.isProperty = true;
    if (owner) fn.cls = owner;
    for (const decorator of decorators) {
      if (!decorator.path) continue;
      if (this.models.toolDecorators.match(decorator.path)) {
        fn.paramSource = { kind: "llm", why: `the model chooses the arguments of tool \`${name}\`` };
      } else if (this.models.requestHandlerDecorators.match(decorator.path)) {
        fn.paramSource = { kind: "remote", why: `request handler \`${name}\` receives them from the network` };
      }
    }
    this.module.functions.push(fn);
    if (owner) owner.methods.set(name, fn);
    this.bind(name, { fn }, node);
    return fn;
  }

  private classOfScope: ClassInfo | undefined;

  private defineClass(node: Node, _decorators: Value[]): void {
    const name = node.childForFieldName("name")?.text ?? "<class>";
    const superclasses = node.childForFieldName("superclasses");
    const bases = (superclasses?.namedChildren ?? [])
      .filter((c) => c.type !== "keyword_argument")
      .map((c) => this.evaluate(c));
    const qualname = this.qualify(name);
    const scope = new Scope("class", this.scope, undefined, qualname);
    const cls: ClassInfo = {
      kind: "class",
      name,
      qualname,
      module: this.module,
      scope,
      methods: new Map(),
      attrs: new Map(),
      bases,
      attrsReady: false,
    };
    const saved = { scope: this.scope, cls: this.classOfScope };
    this.scope = scope;
    this.classOfScope = cls;
    try {
      const body = node.childForFieldName("body");
      if (body) this.execBlock(body);
    } finally {
      this.scope = saved.scope;
      this.classOfScope = saved.cls;
    }
    for (const [key, value] of scope.vars) if (!value.fn) cls.attrs.set(key, value);
    this.bind(name, { cls }, node);
  }

  /**
   * `outer.inner`: the enclosing scope's name is already qualified, so only it is prefixed (joining every
   * enclosing scope's qualified name doubled the string per level: 30 nested closures ran out of memory).
   */
  private qualify(name: string): string {
    return this.scope.kind === "module" ? name : `${this.scope.name}.${name}`;
  }

  // ---------------------------------------------------------------- imports

  private execImport(node: Node): void {
    for (const child of node.namedChildren) {
      if (child.type === "dotted_name") {
        const full = child.text;
        const root = full.split(".")[0]!;
        this.module.imports.add(root);
        this.module.imports.add(full);
        this.bind(root, this.resolveModule(root), child);
      } else if (child.type === "aliased_import") {
        const full = child.childForFieldName("name")?.text ?? "";
        const alias = child.childForFieldName("alias")?.text ?? full;
        this.module.imports.add(full.split(".")[0]!);
        this.module.imports.add(full);
        this.bind(alias, this.resolveModule(full), child);
      }
    }
  }

  private execImportFrom(node: Node): void {
    const moduleNode = node.childForFieldName("module_name");
    if (!moduleNode) return;
    const base = this.absoluteModuleName(moduleNode);
    if (base === undefined) return;
    this.module.imports.add(base.split(".")[0]!);
    this.module.imports.add(base);
    const target = this.findModule(base, this.module);
    if (node.namedChildren.some((c) => c.type === "wildcard_import")) {
      if (target) {
        const scope = this.moduleScope(target);
        for (const [name, value] of scope.vars) if (!name.startsWith("_")) this.bind(name, value, node);
      }
      return;
    }
    for (const child of node.childrenForFieldName("name")) {
      const name = child.type === "aliased_import" ? child.childForFieldName("name")?.text : child.text;
      const alias = child.type === "aliased_import" ? child.childForFieldName("alias")?.text : name;
      if (!name || !alias) continue;
      this.bind(alias, this.importedName(base, name, target), child);
    }
  }

  private importedName(base: string, name: string, target: PythonModule | undefined): Value {
    if (target) {
      const scope = this.moduleScope(target);
      const value = scope.vars.get(name);
      if (value) return value.fn || value.cls ? { ...value, path: `${base}.${name}` } : value;
      const submodule = this.findModule(`${base}.${name}`, this.module);
      if (submodule) return { module: this.moduleRef(submodule), path: `${base}.${name}` };
    }
    const submodule = this.findModule(`${base}.${name}`, this.module);
    if (submodule) return { module: this.moduleRef(submodule), path: `${base}.${name}` };
    return this.externalPath(`${base}.${name}`);
  }

  private absoluteModuleName(moduleNode: Node): string | undefined {
    if (moduleNode.type !== "relative_import") return moduleNode.text;
    const prefix = moduleNode.namedChildren.find((c) => c.type === "import_prefix")?.text ?? ".";
    const rest = moduleNode.namedChildren.find((c) => c.type === "dotted_name")?.text;
    const pkg = this.module.packageName.split(".").filter(Boolean);
    const up = prefix.length - 1;
    if (up > pkg.length) return undefined;
    const anchor = pkg.slice(0, pkg.length - up);
    return [...anchor, ...(rest ? [rest] : [])].join(".");
  }

  /**
   * The scanned module an import names, if following it can matter: always from a module that carries
   * untrusted data (a helper may pass it on), otherwise only into modules that can hold a finding.
   */
  private findModule(name: string, from: PythonModule): PythonModule | undefined {
    const target = this.modules.find(name, from);
    if (!target) return undefined;
    return from.carrier || target.entry ? target : undefined;
  }

  private resolveModule(name: string): Value {
    const target = this.findModule(name, this.module);
    if (target) return { module: this.moduleRef(target), path: name };
    return this.externalPath(name);
  }

  private moduleRef(mod: PythonModule): ModuleInfo {
    let info = this.moduleInfos.get(mod.name);
    if (!info) {
      info = { kind: "module", name: mod.name, source: mod };
      // Registered lazily: interpretModule fills its scope on first use.
      this.moduleInfos.set(mod.name, info);
    }
    return info;
  }

  private moduleScope(mod: PythonModule): Scope {
    if (mod.scope) return mod.scope as Scope;
    if (mod === this.module) return this.scope;
    if (this.callDepth > MAX_CALL_DEPTH) return new Scope("module", undefined, undefined, "<module>");
    this.callDepth++;
    try {
      const saved = { classOfScope: this.classOfScope };
      this.classOfScope = undefined;
      const scope = this.interpretModule(mod);
      this.classOfScope = saved.classOfScope;
      return scope;
    } finally {
      this.callDepth--;
    }
  }

  private externalPath(path: string): Value {
    const kind = this.models.sources.match(path);
    if (kind) return { path, taints: [this.sourceTaint(kind, `\`${path}\``, undefined)] };
    return { path };
  }

  // ---------------------------------------------------------------- names

  private bind(name: string, value: Value, _node: Node): void {
    if (this.scope.globals.has(name)) {
      let s: Scope = this.scope;
      while (s.parent) s = s.parent;
      s.vars.set(name, value);
      return;
    }
    this.scope.vars.set(name, value);
  }

  private lookup(name: string): Value | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      // Class bodies are not enclosing scopes for the functions defined in them.
      if (s.kind === "class" && s !== this.scope) continue;
      const value = s.vars.get(name);
      if (value) return value;
    }
    return undefined;
  }

  private resolveName(name: string): Value {
    const value = this.lookup(name);
    if (value) return value;
    return this.externalPath(`builtins.${name}`);
  }

  // ---------------------------------------------------------------- assignment

  private assign(target: Node, value: Value, stepNode: Node): void {
    switch (target.type) {
      case "identifier": {
        const taints = isTainted(value)
          ? addStep(value.taints, this.step(stepNode, `assigned to \`${target.text}\``))
          : undefined;
        this.bind(target.text, withTaints(value, taints), target);
        // A rebound name forgets the fields recorded for its old object.
        for (const key of this.scope.vars.fieldsOf(target.text)) this.scope.vars.delete(key);
        return;
      }
      case "attribute": {
        const object = target.childForFieldName("object");
        const attribute = target.childForFieldName("attribute")?.text;
        if (!object || !attribute) return;
        const taints = isTainted(value)
          ? addStep(value.taints, this.step(stepNode, `stored in \`${target.text}\``))
          : undefined;
        const stored = withTaints(value, taints);
        if (isNameLike(object)) this.scope.vars.set(target.text, stored);
        const receiver = this.evaluate(object);
        if (receiver.instance) {
          const cls = receiver.instance as ClassInfo;
          // Parameter placeholders mean nothing outside the method that holds them, except that what the
          // constructor stores stands for "what this instance was built with" (`self.llm = llm`).
          let concrete = withTaints(stored, stored.taints?.filter((t) => t.kind !== "param"));
          const fromParam = value.path === undefined ? value.taints?.find((t) => t.kind === "param") : undefined;
          if (fromParam && this.scope.owner?.name === "__init__") concrete = { ...concrete, path: `$init${fromParam.param}` };
          cls.attrs.set(attribute, joinValues(cls.attrs.get(attribute), concrete));
        }
        return;
      }
      case "subscript": {
        const container = target.childForFieldName("value");
        if (container && isNameLike(container) && isTainted(value)) {
          const current = this.evaluate(container);
          const taints = addStep(value.taints, this.step(stepNode, `stored in \`${container.text}\``));
          this.updateInPlace(container.text, withTaints(current, mergeTaints(current.taints, taints)));
        }
        return;
      }
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
      case "expression_list": {
        const targets = target.namedChildren;
        targets.forEach((child, index) => {
          const item = value.items && value.items.length === targets.length ? value.items[index] : undefined;
          this.assign(child, item ?? elementOf(value), stepNode);
        });
        return;
      }
      case "list_splat_pattern":
      case "list_splat":
      case "parenthesized_expression": {
        const inner = target.namedChildren[0];
        if (inner) this.assign(inner, value, stepNode);
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates without recording sink hits (for guards, whose calls are evaluated again normally). */
  private evaluateQuietly(node: Node): Value {
    const saved = this.hits.length;
    const value = this.evaluate(node);
    this.hits.length = saved;
    return value;
  }

  evaluate(node: Node): Value {
    if (!this.enter(node)) return this.evaluateFlat(node);
    const value = this.evaluateNode(node);
    this.nesting--;
    return value;
  }

  /**
   * A value for code too deep to interpret: the taint of every name in it, found without recursion. Calls
   * inside are not followed (no sink in it is checked), which is why the file is named as incomplete.
   */
  private evaluateFlat(node: Node): Value {
    let taints: readonly Taint[] | undefined;
    const stack: Node[] = [node];
    let seen = 0;
    while (stack.length > 0 && seen < 100_000) {
      const next = stack.pop()!;
      seen++;
      if (next.type === "identifier") taints = mergeTaints(taints, this.lookup(next.text)?.taints);
      else for (const child of next.namedChildren) stack.push(child);
    }
    return taintOnly(taints);
  }

  private evaluateNode(node: Node): Value {
    switch (node.type) {
      case "identifier":
        return this.resolveName(node.text);
      case "attribute":
        return this.evaluateAttribute(node);
      case "call":
        return this.evaluateCall(node);
      case "subscript":
        return this.evaluateSubscript(node);
      case "string":
        return this.evaluateString(node);
      case "concatenated_string": {
        let taints: readonly Taint[] | undefined;
        for (const part of node.namedChildren) taints = mergeTaints(taints, this.evaluate(part).taints);
        return taintOnly(taints);
      }
      case "integer":
        return { literal: Number(node.text.replace(/_/g, "")) };
      case "float":
        return { literal: Number(node.text.replace(/_/g, "")) };
      case "true":
        return { literal: true };
      case "false":
        return { literal: false };
      case "none":
        return { literal: null };
      case "assignment": {
        const right = node.childForFieldName("right");
        const left = node.childForFieldName("left");
        if (!right || !left) return EMPTY;
        const value = this.evaluate(right);
        this.assign(left, value, node);
        return value;
      }
      case "augmented_assignment": {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (!left || !right) return EMPTY;
        const current = this.evaluate(left);
        const added = this.evaluate(right);
        const taints = mergeTaints(current.taints, added.taints);
        this.assign(left, isTainted(added) ? taintOnly(taints) : current, node);
        return EMPTY;
      }
      case "named_expression": {
        const name = node.childForFieldName("name");
        const valueNode = node.childForFieldName("value");
        const value = valueNode ? this.evaluate(valueNode) : EMPTY;
        if (name) this.assign(name, value, node);
        return value;
      }
      case "binary_operator":
        return this.evaluateBinary(node);
      case "boolean_operator": {
        // `a and b and c ...` nests to the left: walked as a list, so a 2,000-term chain is not 2,000 frames.
        let joined: Value = EMPTY;
        for (const operand of leftChainOperands(node, "boolean_operator")) joined = joinValues(joined, this.evaluate(operand));
        return joined;
      }
      case "conditional_expression": {
        const [body, condition, alternative] = node.namedChildren;
        if (condition) this.evaluate(condition);
        return joinValues(body ? this.evaluate(body) : EMPTY, alternative ? this.evaluate(alternative) : EMPTY);
      }
      case "not_operator":
      case "comparison_operator":
      case "unary_operator":
        for (const child of node.namedChildren) this.evaluate(child);
        return EMPTY;
      case "list":
      case "tuple":
      case "set":
      case "expression_list": {
        const items = node.namedChildren.map((child) => this.evaluate(child));
        let taints: readonly Taint[] | undefined;
        for (const item of items) taints = mergeTaints(taints, item.taints);
        return taints ? { items, taints } : { items };
      }
      case "dictionary": {
        let taints: readonly Taint[] | undefined;
        for (const pair of node.namedChildren) {
          for (const part of pair.namedChildren) taints = mergeTaints(taints, this.evaluate(part).taints);
        }
        return taintOnly(taints);
      }
      case "pair":
      case "parenthesized_expression":
      case "await":
      case "list_splat":
      case "dictionary_splat":
      case "keyword_argument": {
        const inner = node.type === "keyword_argument" ? node.childForFieldName("value") : node.namedChildren[0];
        return inner ? this.evaluate(inner) : EMPTY;
      }
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
      case "dictionary_comprehension":
        return this.evaluateComprehension(node);
      case "lambda":
        return this.defineLambda(node);
      case "yield": {
        const inner = node.namedChildren[0];
        const value = inner ? this.evaluate(inner) : EMPTY;
        if (inner && node.children[1]?.type !== "from") this.scope.returns = joinValues(this.scope.returns, value);
        return EMPTY;
      }
      default:
        for (const child of node.namedChildren) this.evaluate(child);
        return EMPTY;
    }
  }

  private evaluateString(node: Node): Value {
    if (node.children.length === 0) {
      const literal = plainStringValue(node.text);
      const written = this.writtenFiles.get(literal);
      return written ? { literal, taints: written } : { literal };
    }
    let taints: readonly Taint[] | undefined;
    let constant = true;
    let text = "";
    for (const child of node.namedChildren) {
      if (child.type === "interpolation") {
        constant = false;
        const expression = child.childForFieldName("expression");
        if (expression) taints = mergeTaints(taints, this.evaluate(expression).taints);
      } else if (child.type === "string_content") text += child.text;
    }
    if (taints) return { taints };
    return constant ? { literal: text } : EMPTY;
  }

  /** `a + b + c ...` nests to the left: the chain is walked as a list, so its length costs no stack. */
  private evaluateBinary(node: Node): Value {
    const chain: Node[] = [];
    let leftmost: Node = node;
    while (leftmost.type === "binary_operator") {
      const left = leftmost.childForFieldName("left");
      chain.push(leftmost);
      if (!left) break;
      leftmost = left;
    }
    let a = leftmost === chain[chain.length - 1] ? EMPTY : this.evaluate(leftmost);
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i]!;
      const right = link.childForFieldName("right");
      a = this.combine(link.childForFieldName("operator")?.text, a, right ? this.evaluate(right) : EMPTY);
    }
    return a;
  }

  private combine(operator: string | undefined, a: Value, b: Value): Value {
    if (operator === "|") {
      const isPipelineStage = (v: Value) =>
        v.path !== undefined && (this.models.pipelineOperands.match(v.path) || v.path === this.models.pipelineResult);
      if (isPipelineStage(a) || isPipelineStage(b)) return { path: this.models.pipelineResult };
    }
    const taints = mergeTaints(a.taints, b.taints);
    if (operator === "+" && typeof a.literal === "string" && typeof b.literal === "string") {
      return { literal: a.literal + b.literal };
    }
    if (operator === "+" && a.items && b.items) {
      const items = [...a.items, ...b.items].slice(0, MAX_ITEMS);
      return taints ? { items, taints } : { items };
    }
    return taintOnly(taints);
  }

  private evaluateComprehension(node: Node): Value {
    const saved = this.scope;
    this.scope = new Scope("comprehension", saved, saved.owner, saved.name);
    this.scope.summaryHits = saved.summaryHits;
    try {
      for (const clause of node.namedChildren) {
        if (clause.type === "for_in_clause") {
          const right = clause.childForFieldName("right");
          const left = clause.childForFieldName("left");
          const iterable = right ? this.evaluate(right) : EMPTY;
          if (left) this.assign(left, elementOf(iterable), left);
        } else if (clause.type === "if_clause") {
          for (const child of clause.namedChildren) this.evaluate(child);
        }
      }
      const body = node.childForFieldName("body") ?? node.namedChildren[0];
      if (!body) return EMPTY;
      if (body.type === "pair") {
        let taints: readonly Taint[] | undefined;
        for (const part of body.namedChildren) taints = mergeTaints(taints, this.evaluate(part).taints);
        return taintOnly(taints);
      }
      return taintOnly(this.evaluate(body).taints);
    } finally {
      saved.validated ||= this.scope.validated;
      this.scope = saved;
    }
  }

  private defineLambda(node: Node): Value {
    const fn: FunctionInfo = {
      kind: "function",
      name: "<lambda>",
      qualname: this.qualify("<lambda>"),
      node,
      location: this.locationOf(node),
      module: this.module,
      params: readParams(node.childForFieldName("parameters")),
      definingScope: this.scope,
      isLambda: true,
      isStatic: false,
      isClassMethod: false,
      computing: false,
    };
    this.module.functions.push(fn);
    return { fn };
  }

  private evaluateAttribute(node: Node): Value {
    const objectNode = node.childForFieldName("object");
    const attribute = node.childForFieldName("attribute")?.text ?? "";
    if (!objectNode) return EMPTY;
    // Fields assigned earlier in this function (`job.code = text`) are tracked by their dotted name.
    if (isNameLike(objectNode)) {
      const field = this.lookup(node.text);
      if (field) return field;
    }
    const object = this.evaluate(objectNode);
    const value = this.attributeOf(object, attribute);
    // Reading a property runs its getter (`self._client` built lazily by an `@property`).
    if (value.fn && value.boundSelf && (value.fn as FunctionInfo).isProperty) {
      return this.callFunction(value.fn as FunctionInfo, value.boundSelf, { positional: [], keywords: new Map(), splat: undefined }, node, node);
    }
    return value;
  }

  private attributeOf(object: Value, attribute: string): Value {
    if (object.module) {
      const mod = (object.module as ModuleInfo).source;
      const exported = this.moduleScope(mod).vars.get(attribute);
      if (exported) return exported.fn || exported.cls ? { ...exported, path: `${object.path ?? mod.name}.${attribute}` } : exported;
      const sub = this.findModule(`${mod.name}.${attribute}`, this.module);
      if (sub) return { module: this.moduleRef(sub), path: `${object.path ?? mod.name}.${attribute}` };
    }
    if (object.instance) {
      const member = this.memberOf(object.instance as ClassInfo, attribute);
      if (member?.fn) {
        // `self` may be any subclass; an object built here is exactly its class.
        const overrides = object.initArgs ? [] : this.overridesOf(object.instance as ClassInfo, attribute);
        return overrides.length > 0 ? { fn: member.fn, boundSelf: object, overrides } : { fn: member.fn, boundSelf: object };
      }
      if (member) return member;
    }
    if (object.cls) {
      const member = this.memberOf(object.cls as ClassInfo, attribute);
      if (member) return member;
      // `class Plan(BaseModel)`: `Plan.model_validate_json` is the library's classmethod.
      const base = (object.cls as ClassInfo).bases.find((b) => b.path !== undefined)?.path;
      if (base !== undefined) return this.externalPath(`${base}.${attribute}`);
    }
    const path = object.path !== undefined ? `${object.path}.${attribute}` : undefined;
    const result: Value = path !== undefined ? this.externalPath(path) : {};
    if (object.verdict) result.verdict = true;
    const taints = mergeTaints(object.taints, result.taints);
    return withTaints(result, taints);
  }

  private memberOf(cls: ClassInfo, attribute: string, depth = 0): Value | undefined {
    if (depth > 8) return undefined;
    const method = cls.methods.get(attribute);
    if (method) return { fn: method };
    this.ensureAttributes(cls);
    const attr = cls.attrs.get(attribute);
    if (attr) return attr;
    for (const base of cls.bases) {
      if (base.cls) {
        const inherited = this.memberOf(base.cls as ClassInfo, attribute, depth + 1);
        if (inherited) return inherited;
      }
    }
    return undefined;
  }

  /**
   * `__init__` runs before any other method can read `self.x`, so it is summarised first. Attributes that
   * other methods set arrive as those methods are summarised (in file order at the latest); summarising
   * them here, in the middle of another method, would freeze half-computed summaries.
   */
  private ensureAttributes(cls: ClassInfo): void {
    if (cls.attrsReady) return;
    cls.attrsReady = true;
    const init = cls.methods.get("__init__");
    if (init) this.summarise(init);
  }

  private evaluateSubscript(node: Node): Value {
    const valueNode = node.childForFieldName("value");
    const container = valueNode ? this.evaluate(valueNode) : EMPTY;
    const subscripts = node.childrenForFieldName("subscript");
    let index: Value | undefined;
    for (const subscript of subscripts) index = this.evaluate(subscript);
    if (container.items && typeof index?.literal === "number") {
      const item = container.items.at(index.literal);
      if (item) return item;
    }
    if (container.path === "builtins.globals()" || container.path === "builtins.locals()" || container.path === "builtins.vars()") {
      // `globals()[name]` picks a function by name: the key decides what runs (see execution-sinks.yml).
      return { path: `${container.path}[]`, ...(index?.taints ? { taints: index.taints } : {}) };
    }
    // A key, tainted or not, does not taint what it looks up: `TOOLS[name]` is an allowlisted function.
    return taintOnly(container.taints);
  }

  // ---------------------------------------------------------------- calls

  private evaluateCall(node: Node): Value {
    const calleeNode = node.childForFieldName("function");
    const argsNode = node.childForFieldName("arguments");
    if (!calleeNode) return EMPTY;
    let receiver: Value | undefined;
    let methodName: string | undefined;
    let callee: Value;
    if (calleeNode.type === "attribute") {
      const objectNode = calleeNode.childForFieldName("object");
      methodName = calleeNode.childForFieldName("attribute")?.text;
      const field = isNameLike(objectNode) ? this.lookup(calleeNode.text) : undefined;
      receiver = objectNode ? this.evaluate(objectNode) : EMPTY;
      callee = field ?? this.attributeOf(receiver, methodName ?? "");
    } else {
      callee = this.evaluate(calleeNode);
    }
    const args = this.evaluateArguments(argsNode);

    if (callee.fn) {
      let result = this.callFunction(callee.fn as FunctionInfo, callee.boundSelf, args, node, calleeNode);
      for (const override of callee.overrides ?? []) {
        result = joinValues(result, this.callFunction(override as FunctionInfo, callee.boundSelf, args, node, calleeNode));
      }
      if (callee.path !== undefined) {
        // A scanned module that is also a modelled library (a vendored `yaml/`, the stdlib's own
        // pickle.py): its functions are still the library's sinks and sources.
        for (const sink of this.models.sinks.matchAll(callee.path)) {
          if (!sink.calleeIsInput) this.checkSink(sink, node, calleeNode, args, receiver);
        }
        const kind = this.models.sources.match(`${callee.path}()`);
        if (kind) {
          const origin = [this.sourceTaint(kind, `output of \`${calleeNode.text}\``, node)];
          result = withTaints(result, mergeTaints(origin, result.taints));
        }
      }
      return result;
    }
    if (callee.cls) return this.instantiate(callee.cls as ClassInfo, args, node, calleeNode);

    const calleePath = callee.path;
    let result: Value = {};
    if (calleePath !== undefined) {
      const resultPath = `${calleePath}()`;
      if (this.models.sanitizers.match(calleePath)) return EMPTY;
      for (const sink of this.models.sinks.matchAll(calleePath)) {
        if (sink.calleeIsInput) {
          if (isTainted(callee)) this.reportHit(sink, node, calleeNode, calleeNode.text, [], new Map(), callee, calleeNode);
        } else this.checkSink(sink, node, calleeNode, args, receiver);
      }
      if (this.models.validators.match(calleePath)) result = { verdict: true };
      const propagator = this.models.propagators.match(calleePath);
      if (propagator) {
        result = taintOnly(this.argumentTaints(args, propagator.args));
        if (!result.taints && allConstant(args)) result = { constant: true };
      } else if (this.isUnmodelledFunction(calleePath, receiver)) {
        // A library function the models do not know (`extract_code(reply)` from a package that is not
        // scanned) is assumed to pass its arguments' data on, as Semgrep's taint mode does; the step
        // says so and the finding's confidence drops. Methods of objects are not assumed to: a
        // `commands.get(choice)` lookup returns the program's own value.
        const passed = this.argumentTaints(args, undefined);
        if (passed) result = { taints: addStep(passed, this.step(node, `through \`${calleeNode.text}()\` ${ASSUMED_PASS_ON}`))! };
      }
      const opened = FILE_OPENERS.has(calleePath) ? args.positional[0]?.value : undefined;
      if (typeof opened?.literal === "string") {
        result = { ...result, filePath: opened.literal };
        const written = mergeTaints(result.taints, this.writtenFiles.get(opened.literal));
        if (written) result.taints = written;
      } else if (opened?.filePath !== undefined) result = { ...result, filePath: opened.filePath };
      const fluent = methodName !== undefined && this.models.fluentMethods.has(methodName) && receiver?.path;
      const path = fluent ? receiver!.path! : resultPath;
      let sourceKind = this.models.sources.match(path);
      // An HTTP call to a model's REST endpoint (Ollama's /api/generate, an OpenAI-compatible server)
      // returns model output, whichever HTTP client makes it.
      if (sourceKind === "remote" && this.callsModelEndpoint(args)) sourceKind = "llm";
      const origin = `output of \`${calleeNode.text}\``;
      const sourceTaint = sourceKind
        ? [this.sourceTaint(sourceKind, origin, node)]
        : path.startsWith("$init")
          ? [{ kind: "pending" as const, origin, pendingPath: path, steps: [this.step(node, origin)] }]
          : undefined;
      result = { ...result, path };
      const builtWith = literalKeywords(args);
      if (builtWith) result.builtWith = builtWith;
      const taints = mergeTaints(sourceTaint, result.taints);
      if (taints) result.taints = taints;
      else delete result.taints;
    }
    if (receiver && methodName !== undefined) {
      // Whatever a tainted object's methods return is tainted too: `text.strip()`, `m.group(1)`.
      if (isTainted(receiver)) result = withTaints(result, mergeTaints(result.taints, receiver.taints));
      if (this.models.stringBuilders.has(methodName)) {
        result = withTaints(result, mergeTaints(result.taints, this.argumentTaints(args, undefined)));
      }
      if (this.models.mutators.has(methodName) || methodName === "write_text" || methodName === "write_bytes") {
        this.mutateReceiver(calleeNode, receiver, args, node);
      }
      // Name-only sinks (`df.query`) apply to receivers of unknown type, or of the module they are about:
      // `session.query(...)` on a known SQLAlchemy session is not pandas.
      const receiverRoot = receiver.path?.split(/[.(]/, 1)[0];
      for (const sink of this.models.methodSinks.get(methodName) ?? []) {
        if (!this.module.imports.has(sink.whenImported)) continue;
        if (receiverRoot !== undefined && receiverRoot !== sink.whenImported.split(".")[0]) continue;
        if (calleePath !== undefined && this.models.sinks.match(calleePath)) continue;
        this.checkSink(sink, node, calleeNode, args, receiver);
      }
    } else if (calleePath === undefined && isTainted(callee)) {
      // Calling a tainted callable (a value the model picked) yields model-controlled data.
      result = withTaints(result, callee.taints);
    }
    return result;
  }

  /** A function reached through a module (not a method of an object), outside builtins and the models. */
  private isUnmodelledFunction(calleePath: string, receiver: Value | undefined): boolean {
    if (calleePath.startsWith("builtins.") || calleePath.startsWith("$init")) return false;
    if (receiver && (receiver.path === undefined || receiver.path.includes("("))) return false;
    if (calleePath.includes("(")) return false;
    return (
      this.models.sinks.match(calleePath) === undefined &&
      this.models.sources.match(`${calleePath}()`) === undefined &&
      this.models.validators.match(calleePath) === undefined
    );
  }

  private callsModelEndpoint(args: Arguments): boolean {
    const url = args.keywords.get("url") ?? args.positional[0];
    if (!url) return false;
    const text = typeof url.value.literal === "string" ? url.value.literal : (url.node?.text ?? "");
    return this.models.llmEndpoints.test(text);
  }

  private mutateReceiver(calleeNode: Node, receiver: Value, args: Arguments, call: Node): void {
    const taints = this.argumentTaints(args, undefined);
    const objectNode = calleeNode.childForFieldName("object");
    if (!taints || !objectNode) return;
    const stepped = addStep(taints, this.step(call, `written to \`${objectNode.text}\``));
    // `open("gen.py", "w").write(code)` then `python gen.py`: the file's name now stands for the code.
    if (receiver.filePath !== undefined) this.writtenFiles.set(receiver.filePath, stepped!);
    if (!isNameLike(objectNode)) return;
    this.updateInPlace(objectNode.text, withTaints(receiver, mergeTaints(receiver.taints, stepped)));
  }

  /**
   * A container changed in place (`HISTORY.append(text)`, `CACHE[key] = text`) is the same object wherever
   * it is bound: a module-level one keeps the data for the functions that read it later.
   */
  private updateInPlace(name: string, value: Value): void {
    this.scope.vars.set(name, value);
    if (this.scope.kind === "module") return;
    let owner: Scope | undefined = this.scope.parent;
    while (owner && !owner.vars.has(name)) owner = owner.parent;
    if (owner?.kind === "module") owner.vars.set(name, joinValues(owner.vars.get(name), value));
  }

  /** Files (by literal path) this analysis saw written with tainted data. */
  private readonly writtenFiles = new Map<string, readonly Taint[]>();

  private markValidated(validated: boolean): void {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      s.validated = validated;
      if (s.kind === "function" || s.kind === "module") break;
    }
  }

  private isValidated(): boolean {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      if (s.validated) return true;
      if (s.kind === "function" || s.kind === "module") break;
    }
    return false;
  }

  private evaluateArguments(argsNode: Node | null): Arguments {
    const args: Arguments = { positional: [], keywords: new Map(), splat: undefined };
    if (!argsNode) return args;
    if (argsNode.type === "generator_expression") {
      args.positional.push({ node: argsNode, value: this.evaluate(argsNode) });
      return args;
    }
    for (const child of argsNode.namedChildren) {
      if (child.type === "keyword_argument") {
        const name = child.childForFieldName("name")?.text;
        const valueNode = child.childForFieldName("value");
        if (name && valueNode) args.keywords.set(name, { node: valueNode, value: this.evaluate(valueNode), whole: child });
      } else if (child.type === "list_splat" || child.type === "dictionary_splat") {
        const value = this.evaluate(child);
        args.splat = { node: child, value: joinValues(args.splat?.value, value) };
      } else if (child.type !== "comment") {
        args.positional.push({ node: child, value: this.evaluate(child) });
      }
    }
    return args;
  }

  private argumentTaints(args: Arguments, which: (number | string)[] | undefined): readonly Taint[] | undefined {
    let taints: readonly Taint[] | undefined;
    if (!which) {
      for (const arg of args.positional) taints = mergeTaints(taints, arg.value.taints);
      for (const arg of args.keywords.values()) taints = mergeTaints(taints, arg.value.taints);
      return mergeTaints(taints, args.splat?.value.taints);
    }
    for (const key of which) {
      const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
      taints = mergeTaints(taints, arg?.value.taints);
    }
    return mergeTaints(taints, args.splat?.value.taints);
  }

  private sourceTaint(kind: ProvenanceKind, origin: string, node: Node | undefined): Taint {
    const steps: TraceStep[] = node ? [this.step(node, origin)] : [];
    return { kind: kind === "remote" || kind === "parameter" ? kind : "llm", origin, steps };
  }

  // ---------------------------------------------------------------- user functions

  private callFunction(fn: FunctionInfo, boundSelf: Value | undefined, args: Arguments, call: Node, calleeNode: Node): Value {
    const summary = this.summarise(fn);
    const bound = this.bindArguments(fn, boundSelf, args);
    const callName = calleeNode.text;
    // Replay the callee's parameter-reached sinks with this call's arguments.
    for (const hit of summary.paramHits) {
      const taints = this.substitute(hit.taints, bound, call, callName, fn, boundSelf);
      if (taints) this.recordHit({ ...hit, taints });
    }
    const returned = summary.returns;
    const taints = this.substitute(returned.taints, bound, call, callName, fn, boundSelf);
    const result: Value = { ...returned };
    const stepped = addStep(taints, this.step(call, `returned by \`${callName}()\``));
    if (stepped) result.taints = stepped;
    else delete result.taints;
    return result;
  }

  private instantiate(cls: ClassInfo, args: Arguments, call: Node, calleeNode: Node): Value {
    let instance = this.selfValue(cls);
    const init = cls.methods.get("__init__");
    if (init) {
      const initArgs = new Map<number, Value>();
      for (const [index, arg] of this.bindArguments(init, instance, args)) if (index > 0) initArgs.set(index, arg.value);
      instance = { ...instance, initArgs };
      this.callFunction(init, instance, args, call, calleeNode);
    }
    return instance;
  }

  private bindArguments(fn: FunctionInfo, boundSelf: Value | undefined, args: Arguments): Map<number, ArgumentValue> {
    const bound = new Map<number, ArgumentValue>();
    const params = fn.params;
    let offset = 0;
    if (!fn.isLambda && fn.cls && !fn.isStatic) {
      offset = 1;
      if (boundSelf) bound.set(0, { node: undefined, value: boundSelf });
    } else if (boundSelf && !fn.isLambda && !fn.isStatic) {
      offset = 1;
    }
    const varargs = params.find((p) => p.kind === "args");
    args.positional.forEach((arg, i) => {
      const param = params[i + offset];
      if (param && param.kind === "positional") bound.set(param.index, arg);
      else if (varargs) bound.set(varargs.index, { node: arg.node, value: joinValues(bound.get(varargs.index)?.value, arg.value) });
    });
    const kwargs = params.find((p) => p.kind === "kwargs");
    for (const [name, arg] of args.keywords) {
      const param = params.find((p) => p.name === name && (p.kind === "positional" || p.kind === "keyword_only"));
      if (param) bound.set(param.index, arg);
      else if (kwargs) bound.set(kwargs.index, { node: arg.node, value: joinValues(bound.get(kwargs.index)?.value, arg.value) });
    }
    if (args.splat) {
      for (const param of params) if (!bound.has(param.index)) bound.set(param.index, args.splat);
    }
    return bound;
  }

  /** Replaces parameter placeholders with the taint of the arguments bound to them. */
  private substitute(
    taints: readonly Taint[] | undefined,
    bound: Map<number, ArgumentValue>,
    call: Node,
    callName: string,
    fn: FunctionInfo,
    boundSelf: Value | undefined,
  ): readonly Taint[] | undefined {
    if (!taints) return undefined;
    let out: readonly Taint[] | undefined;
    for (const taint of taints) {
      if (taint.kind === "pending") {
        const resolved = this.resolvePending(taint, boundSelf, call, callName);
        if (resolved) out = mergeTaints(out, [resolved]);
        continue;
      }
      if (taint.kind !== "param") {
        out = mergeTaints(out, [taint]);
        continue;
      }
      const arg = bound.get(taint.param ?? -1);
      if (!arg?.value.taints) continue;
      const paramName = fn.params.find((p) => p.index === taint.param)?.name ?? "?";
      const passed = this.step(arg.node ?? call, `passed to \`${callName}()\` as \`${paramName}\``);
      const rebased = arg.value.taints.map((outer) => {
        let steps = appendStep(outer.steps, passed);
        for (const inner of taint.steps) steps = appendStep(steps, inner);
        return { ...outer, steps };
      });
      out = mergeTaints(out, rebased);
    }
    return out;
  }

  /**
   * A pending taint on an instance whose constructor arguments are known: `$init1.invoke()` with
   * `Agent(ChatOpenAI())` becomes `langchain_openai.ChatOpenAI().invoke()`, model output. Without known
   * arguments (`self.helper()` inside the class) it stays pending, to be decided further out.
   */
  private resolvePending(taint: Taint, boundSelf: Value | undefined, call: Node, callName: string): Taint | undefined {
    const initArgs = boundSelf?.initArgs;
    if (!initArgs) return taint;
    const match = /^\$init(\d+)(.*)$/.exec(taint.pendingPath ?? "");
    const argPath = match ? initArgs.get(Number(match[1]))?.path : undefined;
    if (!match || argPath === undefined) return undefined;
    const kind = this.models.sources.match(`${argPath}${match[2]}`);
    if (!kind) return undefined;
    // The call on the instance is where this flow comes about: a changed-lines filter must see it.
    const onInstance = this.step(call, `\`${callName}()\` on an object built with \`${argPath.replace(/\(\)$/, "")}\``);
    return { kind: kind === "remote" ? "remote" : "llm", origin: taint.origin, steps: [onInstance, ...taint.steps] };
  }

  private summarise(fn: FunctionInfo): Summary {
    if (fn.summary) return fn.summary;
    if (fn.computing) return { returns: EMPTY, paramHits: [] };
    if (this.callDepth > MAX_CALL_DEPTH) {
      if (fn.node) this.note(fn.node, `calls nested more than ${MAX_CALL_DEPTH} deep at \`${fn.qualname}\` (line ${fn.location.startLine}): flows through it not followed`);
      return { returns: EMPTY, paramHits: [] };
    }
    fn.computing = true;
    this.callDepth++;
    const saved = { module: this.module, scope: this.scope, cls: this.classOfScope, repeated: this.repeatedPassDepth };
    // A summary must not depend on where it was first asked for.
    this.repeatedPassDepth = 0;
    const scope = new Scope("function", fn.definingScope, fn, fn.qualname);
    scope.summaryHits = [];
    this.module = fn.module;
    this.scope = scope;
    this.classOfScope = undefined;
    try {
      this.bindParameters(fn, scope);
      const body = fn.node?.childForFieldName("body");
      if (fn.isLambda) {
        if (body) scope.returns = this.evaluate(body);
      } else if (body) this.execBlock(body);
      fn.summary = { returns: scope.returns ?? EMPTY, paramHits: scope.summaryHits };
    } finally {
      this.module = saved.module;
      this.scope = saved.scope;
      this.classOfScope = saved.cls;
      this.repeatedPassDepth = saved.repeated;
      this.callDepth--;
      fn.computing = false;
    }
    return fn.summary ?? { returns: EMPTY, paramHits: [] };
  }

  private bindParameters(fn: FunctionInfo, scope: Scope): void {
    fn.params.forEach((param, position) => {
      if (position === 0 && fn.cls && !fn.isStatic && !fn.isLambda) {
        scope.vars.set(param.name, fn.isClassMethod ? { cls: fn.cls } : this.selfValue(fn.cls));
        return;
      }
      const placeholder: Taint = {
        kind: "param",
        param: param.index,
        origin: `parameter \`${param.name}\` of \`${fn.qualname}\``,
        steps: [],
        at: { path: fn.module.path, ...param.location },
      };
      let value: Value = { taints: [placeholder] };
      const framework = this.requestParameterFramework(param.name, fn);
      if (framework) {
        // A Django or DRF view's `request` is the HTTP request, typed or not.
        const origin = `\`${param.name}\` of view \`${fn.name}\` (${framework} request)`;
        value = { taints: [{ kind: "remote", origin, steps: [{ location: placeholder.at!, note: origin }] }, placeholder] };
      }
      if (fn.paramSource) {
        const origin = `parameter \`${param.name}\` (${fn.paramSource.why})`;
        const source: Taint = {
          kind: fn.paramSource.kind,
          origin,
          steps: [{ location: fn.location, note: origin }],
        };
        value = { taints: [source, placeholder] };
      }
      const annotated = param.annotation ? this.annotationValue(param.annotation) : undefined;
      if (annotated) value = { ...annotated, taints: mergeTaints(value.taints, annotated.taints) ?? [] };
      scope.vars.set(param.name, value);
    });
  }

  /** The framework whose views receive the HTTP request in a parameter of this name, if imported here. */
  private requestParameterFramework(name: string, fn: FunctionInfo): string | undefined {
    for (const row of this.models.requestParameters) {
      if (row.name === name && fn.module.imports.has(row.whenImported)) return row.whenImported;
    }
    return undefined;
  }

  private selfValue(cls: ClassInfo): Value {
    const path = this.instancePath(cls);
    return path ? { instance: cls, path } : { instance: cls };
  }

  /**
   * A subclass of a library class behaves as that class for the methods it does not define, except an
   * Unpickler that overrides `find_class`: that is the documented way to restrict what may load.
   */
  private instancePath(cls: ClassInfo): string | undefined {
    const externalBase = cls.bases.find((b) => b.path !== undefined);
    if (!externalBase?.path) return undefined;
    if (cls.methods.has("find_class") && /Unpickler$/.test(externalBase.path)) return undefined;
    return `${externalBase.path}()`;
  }

  /** `client: OpenAI` makes the parameter an OpenAI client; `Optional[X]`, `X | None` and `"X"` too. */
  private annotationValue(annotation: Node): Value | undefined {
    let node: Node | null = annotation.type === "type" ? annotation.namedChildren[0] ?? null : annotation;
    if (!node) return undefined;
    if (node.type === "string") return undefined;
    if (node.type === "generic_type" || node.type === "subscript") {
      const inner = node.namedChildren.find((c) => c.type === "type_parameter")?.namedChildren[0] ?? node.namedChildren[1];
      node = inner?.type === "type" ? (inner.namedChildren[0] ?? null) : (inner ?? null);
    } else if (node.type === "binary_operator") {
      node = node.childForFieldName("left");
    }
    if (!node || (node.type !== "identifier" && node.type !== "attribute")) return undefined;
    const type = this.evaluateQuietly(node);
    if (type.cls) return this.selfValue(type.cls as ClassInfo);
    if (type.path === undefined || type.path.startsWith("builtins.")) return undefined;
    const instancePath = `${type.path}()`;
    const kind = this.models.sources.match(instancePath);
    return kind ? { path: instancePath, taints: [this.sourceTaint(kind, `\`${type.path}\` parameter`, annotation)] } : { path: instancePath };
  }

  // ---------------------------------------------------------------- sinks

  private checkSink(
    sink: SinkModel | MethodSinkModel,
    call: Node,
    calleeNode: Node,
    args: Arguments,
    receiver: Value | undefined,
  ): void {
    if (!sink.onlyIf.every((condition) => this.holds(condition, args))) return;
    if (sink.unless.some((condition) => this.holds(condition, args))) return;
    if (sink.receiverOnlyIf && !sink.receiverOnlyIf.every((c) => builtWithHolds(c, receiver?.builtWith))) return;
    const inputs = this.sinkInputs(sink, args);
    // `Unpickler(f).load()`, `sock.recv_pyobj()`: without an argument, the object read from is the input.
    const receiverNode = calleeNode.childForFieldName("object");
    if (sink.args.length === 0 && receiver && receiverNode) inputs.push({ node: receiverNode, value: receiver });
    let reached: readonly Taint[] | undefined;
    let first = inputs[0];
    for (const input of inputs) {
      const taints = this.dangerousTaints(sink, input.value, args);
      if (taints && !reached) first = input;
      reached = mergeTaints(reached, taints);
    }
    if (!reached && !sink.rule) return;
    const inputValue = first?.value ?? EMPTY;
    this.reportHit(sink, call, calleeNode, calleeNode.text, inputs, args.keywords, withTaints(inputValue, reached), first?.node);
  }

  /** The input's taint that makes this call dangerous, by the sink's category. */
  private dangerousTaints(sink: SinkModel | MethodSinkModel, value: Value, args: Arguments): readonly Taint[] | undefined {
    if (sink.category !== "process") return value.taints;
    const shell = args.keywords.get("shell")?.value;
    if (shell && shell.literal !== false && shell.literal !== null && shell.literal !== 0) {
      if (shell.literal === true || isTainted(shell)) return value.taints;
    }
    if (!value.items) return value.taints;
    const [program, ...rest] = value.items;
    if (!program) return undefined;
    if (isTainted(program)) return program.taints;
    const name = typeof program.literal === "string" ? program.literal.split("/").pop() ?? "" : (program.path ?? "");
    if (this.models.interpreters.has(name) || this.models.interpreters.has(String(program.literal))) {
      let taints: readonly Taint[] | undefined;
      for (const item of rest) taints = mergeTaints(taints, item.taints);
      return taints;
    }
    return undefined;
  }

  private sinkInputs(sink: SinkModel | MethodSinkModel, args: Arguments): ArgumentValue[] {
    const inputs: ArgumentValue[] = [];
    for (const key of sink.args) {
      const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
      if (arg) inputs.push(arg);
    }
    if (sink.vararg) {
      const numeric = sink.args.filter((a): a is number => typeof a === "number");
      const from = numeric.length > 0 ? Math.max(...numeric) + 1 : 0;
      inputs.push(...args.positional.slice(from));
    }
    if (args.splat) inputs.push(args.splat);
    return inputs;
  }

  private holds(condition: ArgumentCondition, args: Arguments): boolean {
    const arg =
      (condition.keyword !== undefined ? args.keywords.get(condition.keyword) : undefined) ??
      (condition.position !== undefined ? args.positional[condition.position] : undefined);
    if (condition.absent) return arg === undefined && !args.splat;
    if (!arg) return false;
    if (condition.truthy) {
      const literal = arg.value.literal;
      return literal !== false && literal !== null && literal !== 0 && literal !== "";
    }
    if (condition.equals !== undefined) return arg.value.literal === condition.equals;
    if (condition.in) {
      const value = arg.value;
      const candidates = [value.path, typeof value.literal === "string" ? value.literal : undefined];
      return candidates.some((c) => c !== undefined && condition.in!.includes(c));
    }
    return true;
  }

  private reportHit(
    sink: SinkModel | MethodSinkModel,
    call: Node,
    calleeNode: Node,
    callee: string,
    inputs: ArgumentValue[],
    keywords: Map<string, ArgumentValue & { whole?: Node }>,
    input: Value,
    inputNode?: Node,
  ): void {
    const target = inputNode ?? inputs[0]?.node ?? call;
    const argsNode = call.childForFieldName("arguments");
    const positionalCount = (argsNode?.namedChildren ?? []).filter(
      (c) => c.type !== "keyword_argument" && c.type !== "comment",
    ).length;
    const keywordSpans: SinkHit["keywordSpans"] = {};
    for (const [name, arg] of keywords) {
      const whole = (arg as { whole?: Node }).whole ?? arg.node;
      if (!whole || !arg.node) continue;
      const previous = whole.previousNamedSibling;
      // Removing a keyword removes the comma before it too.
      const removal = previous
        ? { ...spanOf(whole), startLine: previous.endPosition.row + 1, startColumn: previous.endPosition.column + 1 }
        : spanOf(whole);
      keywordSpans[name] = { span: spanOf(whole), removal, valueText: arg.node.text };
    }
    const lastArg = argsNode?.namedChildren.at(-1);
    const hit: SinkHit = {
      sink,
      location: this.locationOf(target),
      callLocation: this.locationOf(call),
      callee,
      inputText: target.text.replace(/\s+/g, " ").slice(0, 200),
      scopeName: this.scope.owner?.qualname ?? "<module>",
      taints: input.taints ?? [],
      constantInput: inputs.length > 0 && inputs.every((i) => this.isConstantInput(i.value)),
      validated: this.isValidated(),
      gateKeywordAbsent:
        "gateKeyword" in sink && sink.gateKeyword !== undefined
          ? !keywords.has(sink.gateKeyword) && (sink.gatePosition === undefined || positionalCount <= sink.gatePosition)
          : false,
      argumentCount: argsNode?.namedChildren.length ?? 0,
      calleeSpan: spanOf(calleeNode),
      keywordSpans,
      argumentsEnd: lastArg ? spanOf(lastArg) : argsNode ? spanOf(argsNode) : spanOf(call),
      hasArguments: (argsNode?.namedChildren.length ?? 0) > 0,
    };
    this.recordHit(hit);
  }

  private isConstantInput(value: Value): boolean {
    if (isTainted(value)) return false;
    if (value.literal !== undefined || value.constant) return true;
    if (value.items) return value.items.every((item) => this.isConstantInput(item));
    return false;
  }

  /** Hits reached by a parameter also go into the summary, to be replayed at each call site. */
  private recordHit(hit: SinkHit): void {
    const paramTaints = hit.taints.filter((t) => t.kind === "param" || t.kind === "pending");
    if (paramTaints.length > 0) {
      const summaryHits = this.scope.summaryHits;
      const key = `${hit.location.path}:${hit.location.startLine}:${hit.location.startColumn}`;
      if (summaryHits && !summaryHits.some((h) => `${h.location.path}:${h.location.startLine}:${h.location.startColumn}` === key)) {
        summaryHits.push({ ...hit, taints: paramTaints });
      }
      // Inside the function itself the data is "a parameter of a function callers can reach".
      const owner = this.scope.owner;
      const publicParam = owner && !owner.name.startsWith("_") && !owner.isLambda;
      const concrete = hit.taints
        .filter((t) => t.kind !== "param" && t.kind !== "pending")
        .concat(
          publicParam
            ? paramTaints
                .filter((t) => t.kind === "param")
                .slice(0, 1)
                .map((t) => ({ ...t, kind: "parameter" as const, steps: [{ location: t.at ?? hit.location, note: t.origin }] }))
            : [],
        );
      this.hits.push({ ...hit, taints: concrete });
      return;
    }
    this.hits.push(hit);
  }

  // ---------------------------------------------------------------- helpers

  private step(node: Node, note: string): TraceStep {
    return { location: this.locationOf(node), note };
  }

  private locationOf(node: Node): Location {
    return { path: this.module.path, ...spanOf(node) };
  }

}

/** Marks a trace step where an unanalysed library function was assumed to pass data on. */
export const ASSUMED_PASS_ON = "(not analysed; assumed to pass the data on)";

// Bases are read up to 300 characters: an unbounded `[^)]*` rescans the rest of the file at every
// unclosed `class A(` (quadratic on hostile input).
const CLASS_HEADER = /^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]{0,300})\)/gm;

const FILE_OPENERS = new Set(["builtins.open", "io.open", "codecs.open", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"]);

function literalKeywords(args: Arguments): Record<string, string | number | boolean | null> | undefined {
  let out: Record<string, string | number | boolean | null> | undefined;
  for (const [name, arg] of args.keywords) {
    if (arg.value.literal === undefined) continue;
    out ??= {};
    out[name] = arg.value.literal;
  }
  return out;
}

function builtWithHolds(
  condition: ArgumentCondition,
  builtWith: Readonly<Record<string, string | number | boolean | null>> | undefined,
): boolean {
  const value = condition.keyword !== undefined ? builtWith?.[condition.keyword] : undefined;
  if (value === undefined) return false;
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.in) return typeof value === "string" && condition.in.includes(value);
  return true;
}

function allConstant(args: Arguments): boolean {
  const values = [...args.positional, ...args.keywords.values()].map((a) => a.value);
  return values.length > 0 && !args.splat && values.every((v) => v.literal !== undefined || v.constant === true);
}

interface ArgumentValue {
  node: Node | undefined;
  value: Value;
}

interface Arguments {
  positional: ArgumentValue[];
  keywords: Map<string, ArgumentValue & { whole?: Node }>;
  splat: ArgumentValue | undefined;
}

function readParams(parameters: Node | null): Param[] {
  const params: Param[] = [];
  let keywordOnly = false;
  for (const child of parameters?.namedChildren ?? []) {
    const index = params.length;
    switch (child.type) {
      case "identifier":
        params.push({ location: spanOf(child), name: child.text, index, kind: keywordOnly ? "keyword_only" : "positional", annotation: null });
        break;
      case "typed_parameter": {
        const inner = child.namedChildren[0];
        const annotation = child.childForFieldName("type");
        if (inner?.type === "list_splat_pattern") {
          keywordOnly = true;
          params.push({ location: spanOf(child), name: inner.namedChildren[0]?.text ?? "args", index, kind: "args", annotation });
        } else if (inner?.type === "dictionary_splat_pattern") {
          params.push({ location: spanOf(child), name: inner.namedChildren[0]?.text ?? "kwargs", index, kind: "kwargs", annotation });
        } else if (inner) {
          params.push({ location: spanOf(child), name: inner.text, index, kind: keywordOnly ? "keyword_only" : "positional", annotation });
        }
        break;
      }
      case "default_parameter":
      case "typed_default_parameter": {
        const name = child.childForFieldName("name")?.text;
        if (name) {
          params.push({ location: spanOf(child),
            name,
            index,
            kind: keywordOnly ? "keyword_only" : "positional",
            annotation: child.childForFieldName("type"),
          });
        }
        break;
      }
      case "list_splat_pattern":
        keywordOnly = true;
        params.push({ location: spanOf(child), name: child.namedChildren[0]?.text ?? "args", index, kind: "args", annotation: null });
        break;
      case "dictionary_splat_pattern":
        params.push({ location: spanOf(child), name: child.namedChildren[0]?.text ?? "kwargs", index, kind: "kwargs", annotation: null });
        break;
      case "keyword_separator":
        keywordOnly = true;
        break;
      default:
        break;
    }
  }
  return params;
}

/** The operands of a left-nested chain of `type` (`a + b + c` → a, b, c), without recursion. */
function leftChainOperands(node: Node, type: string): Node[] {
  const rights: Node[] = [];
  let current: Node | null = node;
  while (current?.type === type) {
    const right = current.childForFieldName("right");
    if (right) rights.push(right);
    current = current.childForFieldName("left");
  }
  const operands = current ? [current] : [];
  for (let i = rights.length - 1; i >= 0; i--) operands.push(rights[i]!);
  return operands;
}

function isNameLike(node: Node | null | undefined): node is Node {
  if (!node) return false;
  if (node.type === "identifier") return true;
  if (node.type === "attribute") return isNameLike(node.childForFieldName("object"));
  return false;
}

/** What iterating over a value yields: an element's taint (a stream's chunks carry the model's text). */
function elementOf(value: Value): Value {
  if (value.items && value.items.length > 0) {
    let joined: Value | undefined;
    for (const item of value.items) joined = joinValues(joined, item);
    return joined ?? EMPTY;
  }
  return taintOnly(value.taints);
}

function alwaysExits(block: Node): boolean {
  const last = block.namedChildren.at(-1);
  if (!last) return false;
  return (
    last.type === "return_statement" ||
    last.type === "raise_statement" ||
    last.type === "continue_statement" ||
    last.type === "break_statement"
  );
}

export function spanOf(node: Node): Span {
  return {
    startLine: node.startPosition.row + 1,
    startColumn: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column,
  };
}
