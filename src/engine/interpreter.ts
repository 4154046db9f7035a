// An abstract interpreter over tree-sitter's Python tree. It never runs the code: it walks statements in
// order, keeps for each name an abstract Value (API path, taint, literal, user function or class), joins
// values where control flow merges, and summarises user functions (parameter → return, parameter → sink)
// so that flows through helpers, methods and other modules of the scanned set are found.
//
// This class is the interpreter's state and its one entry (`interpretModule`); the work is done in rooms
// under interpreter/, free functions that take the interpreter as their first argument:
//   statements.ts   blocks, branches, loops, try/with/match      expressions.ts  operators, literals, containers
//   names.ts        binding, lookup, assignment, trace steps      calls.ts        calls of every kind, arguments
//   functions.ts    definitions, summaries, parameters            classes.ts      classes, members, instances
//   imports.ts      imports, other modules, external API paths    guards.ts       allowlists and validators
//   sinks.ts        sink conditions and the SinkHit rules judge   budget.ts       steps, nesting, time budget
//   state.ts        scopes and the records behind values' handles
import type { CompiledModels } from "./models.js";
import type { ModuleTable, PythonModule } from "./modules.js";
import { type ParsedFile, ParseTimeout, parsePython } from "./parse.js";
import type { Regrow } from "./syntax.js";
import type { SinkHit } from "./rule.js";
import type { Diagnostic } from "./types.js";
import type { SinkCalls } from "./sink-fallback.js";
import { EMPTY, type Taint, type Value } from "./values.js";
import { wrapperTaint } from "./interpreter/calls.js";
import { indexSubclasses } from "./interpreter/classes.js";
import { MAX_RESUMMARISED, summariesToRecompute } from "./interpreter/fields.js";
import { finishedModule, startedModule } from "./interpreter/import-cycles.js";
import { summarise } from "./interpreter/functions.js";
import { type ClassInfo, type FunctionInfo, type ModuleInfo, Scope } from "./interpreter/state.js";
import { execBlock } from "./interpreter/statements.js";

import { BudgetExceeded, MIN_PARSE_MS } from "./interpreter/budget.js";

export { BudgetExceeded } from "./interpreter/budget.js";

export class Interpreter {
  /** Every sink hit found so far, for the rules. */
  readonly hits: SinkHit[] = [];
  /** Modules interpreted so far (entries and the modules they import), and their size. */
  interpretedCount = 0;
  interpretedBytes = 0;
  /** What this interpreter could not follow (deep nesting, call chains): diagnostics, named per file. */
  readonly diagnostics: Diagnostic[] = [];
  /** Set by the analysis before each module: when to give up, by `clock`. */
  deadline: { clock: () => number; at: number; budgetMs: number } | undefined;
  /** Statements and expressions entered: the work done, independent of the machine (tests bound its growth). */
  steps = 0;

  // What the rooms read and change as they walk (not for use outside interpreter/).
  /** The module and scope being interpreted, and the class whose body is being run, if any. */
  module!: PythonModule;
  scope!: Scope;
  classOfScope: ClassInfo | undefined;
  /** Summaries being computed inside one another, and modules interpreted inside one another. */
  callDepth = 0;
  /** Statements and expressions interpreted inside one another (see budget.ts). */
  nesting = 0;
  /** Calls replayed on objects injected into constructors, inside one another (see injected.ts). */
  injectedHops = 0;
  /** A parameter's path is being replayed on an object (object-paths.ts): no nested replays. */
  objectWalk = false;
  /** What a call on an injected object yields, by object and call path (see injected.ts). */
  readonly injectedMemo = new WeakMap<Value, Map<string, readonly Taint[] | null>>();
  /** The summaries a field's new data made stale (see fields.ts; readers and callers are kept on the
   * classes and functions themselves). */
  readonly staleSummaries = new Set<FunctionInfo>();
  /** Top-level classes and functions by name, read from the modules' text when first asked for. */
  definitionIndex: Map<string, PythonModule[]> | undefined;
  /** Loops entered inside a repeated pass of an enclosing loop (they take one pass: see `execLoop`). */
  repeatedPassDepth = 0;
  readonly moduleInfos = new Map<string, ModuleInfo>();
  /** Subclasses by the name of a base they list, read from the text of the modules that may matter. */
  readonly subclassIndex = new Map<string, { module: PythonModule; className: string }[]>();
  /** Files (by literal path) this analysis saw written with tainted data. */
  readonly writtenFiles = new Map<string, readonly Taint[]>();
  /** Reasons already noted, per file (each is named once). */
  readonly reported = new Set<string>();
  /** Classes the scanned code builds somewhere (their injected objects are decided per construction). */
  readonly builtClasses = new Set<ClassInfo>();
  /** Per sink reached by a parameter: calls that passed it data with an origin, and calls that passed none. */
  readonly sinkCalls: SinkCalls = new Map();
  /** Every module interpreted, for what is decided once all are done. */
  private readonly interpreted: PythonModule[] = [];
  /** Modules interpreted inside one another, and the imported ones whose summaries wait for the first. */
  private moduleDepth = 0;
  private readonly deferred: PythonModule[] = [];

  /**
   * Sinks reached, inside a class the scanned code never builds, by the result of a model-wrapper-shaped
   * call on an object its constructor received (`self.llm.chat_completion(...)` in a class a framework
   * instantiates): reported as model output recognised by its names (confidence medium). Where the class
   * is built, each construction decided it already.
   */
  unbuiltWrapperHits(): SinkHit[] {
    const out: SinkHit[] = [];
    for (const mod of this.interpreted) {
      for (const fn of mod.functions as FunctionInfo[]) {
        if (!fn.cls || this.builtClasses.has(fn.cls)) continue;
        for (const hit of fn.summary?.paramHits ?? []) {
          const shaped = hit.taints.find((t) => t.kind === "pending" && t.wrapperShape);
          if (shaped?.wrapperShape)
            out.push({ ...hit, taints: [wrapperTaint(shaped.wrapperShape, shaped.steps)] });
        }
      }
    }
    return out;
  }

  constructor(
    readonly models: CompiledModels,
    readonly modules: ModuleTable,
    /** Modules whose classes can override a method with one that matters (sources or sinks in them). */
    relevantModules: readonly PythonModule[] = modules.modules,
    /** How a module's text becomes a tree (the adapters may hand over trees parsed elsewhere). */
    readonly parse: (mod: PythonModule, timeoutMs?: number) => ParsedFile = (mod, timeoutMs) =>
      parsePython(mod.text, timeoutMs),
  ) {
    indexSubclasses(this.subclassIndex, relevantModules);
  }

  /** Interprets a module (once), then summarises every function it defines so no sink goes unseen. */
  interpretModule(mod: PythonModule): Scope {
    const existing = this.moduleInfos.get(mod.name);
    if (existing?.source.scope) return existing.source.scope as Scope;
    const info: ModuleInfo = { kind: "module", name: mod.name, source: mod };
    this.moduleInfos.set(mod.name, info);
    const scope = new Scope("module", undefined, undefined, "<module>");
    mod.scope = scope;
    startedModule(this, mod);
    this.interpretedCount++;
    this.interpreted.push(mod);
    this.interpretedBytes += mod.text.length;
    const saved = {
      module: this.module,
      scope: this.scope,
      cls: this.classOfScope,
      repeated: this.repeatedPassDepth,
      nesting: this.nesting,
    };
    this.module = mod;
    this.scope = scope;
    this.classOfScope = undefined;
    this.repeatedPassDepth = 0;
    const outermost = this.moduleDepth === 0;
    let waiting = false;
    this.moduleDepth++;
    try {
      const parsed = this.parseWithinBudget(mod);
      if (parsed.firstError) mod.syntaxError = parsed.firstError;
      mod.tree = parsed.root;
      execBlock(this, parsed.root);
      finishedModule(this, mod, scope);
      // Summaries of functions nobody called still hold sinks (and the medium-severity parameter hits).
      // An imported module's wait until the importing module is done: its subclasses (defined after the
      // import) are then known, so a base class's `self.method()` dispatches to their overrides.
      if (outermost) {
        this.summariseAll(mod);
        for (let i = 0; i < this.deferred.length; i++) this.summariseAll(this.deferred[i]!);
        this.recomputeStaleSummaries(mod);
      } else {
        this.deferred.push(mod);
        waiting = true;
        if (parsed.regrow) this.letTreeGo(mod, parsed.regrow);
      }
    } finally {
      this.module = saved.module;
      this.scope = saved.scope;
      this.classOfScope = saved.cls;
      this.repeatedPassDepth = saved.repeated;
      this.nesting = saved.nesting;
      this.moduleDepth--;
      if (outermost) {
        this.releaseTree(mod);
        for (const other of this.deferred) this.releaseTree(other);
        this.deferred.length = 0;
      } else if (!waiting) this.releaseTree(mod);
    }
    return scope;
  }

  /**
   * Summaries that read a field before model output was stored in it (a method written above the one that
   * stores) are computed once more, with the callers that used them (see fields.ts). Past a bound the module
   * keeps what it has, and says so.
   */
  private recomputeStaleSummaries(mod: PythonModule): void {
    if (this.staleSummaries.size === 0) return;
    const stale = summariesToRecompute(this);
    if (!stale) {
      const message = `more than ${MAX_RESUMMARISED} summaries read fields before model output was stored in them: not recomputed`;
      this.diagnostics.push({ path: mod.path, severity: "note", message });
      return;
    }
    for (const fn of stale) fn.summary = undefined;
    const saved = { module: this.module, scope: this.scope };
    try {
      for (const fn of stale) summarise(this, fn);
    } finally {
      this.module = saved.module;
      this.scope = saved.scope;
    }
  }

  private summariseAll(mod: PythonModule): void {
    const saved = { module: this.module, scope: this.scope };
    try {
      for (let i = 0; i < mod.functions.length; i++) summarise(this, mod.functions[i] as FunctionInfo);
    } finally {
      this.module = saved.module;
      this.scope = saved.scope;
    }
  }

  /** The module's tree; a parse that outlasts what is left of the budget ends like any budget overrun. */
  private parseWithinBudget(mod: PythonModule): ParsedFile {
    const deadline = this.deadline;
    if (!deadline) return this.parse(mod);
    try {
      // At least MIN_PARSE_MS: the limit is a backstop against a grammar's superlinear cases, not a
      // second budget (a file whose parse fits is cut, if it must be, at its first budget check).
      return this.parse(mod, Math.max(MIN_PARSE_MS, deadline.at - deadline.clock()));
    } catch (error) {
      if (error instanceof ParseTimeout)
        throw new BudgetExceeded(deadline.budgetMs, mod.path, 1, "while parsing");
      throw error;
    }
  }

  /**
   * An imported module whose summaries wait for the outermost module lets its tree go meanwhile: each
   * function's subtree is built again from the parse records (off the JavaScript heap) when its summary is
   * computed (`functionNode`). Kept whole, the trees of an entry's whole import closure stayed alive until
   * the entry was done, and the garbage collector copied them over and over (bench/README.md).
   */
  private letTreeGo(mod: PythonModule, regrow: Regrow): void {
    for (const fn of mod.functions as FunctionInfo[]) {
      const node = fn.node;
      if (!node || fn.computing) continue;
      const { startIndex, endIndex, type } = node;
      fn.regrow = () => regrow(startIndex, endIndex, type);
      fn.node = undefined;
      keepAnnotations(fn);
    }
    delete mod.tree;
  }

  /** Every summary is computed by now, so no node of this tree is needed again. */
  private releaseTree(mod: PythonModule): void {
    for (const fn of mod.functions as FunctionInfo[]) {
      fn.summary ??= { returns: EMPTY, paramHits: [] };
      fn.node = undefined;
      fn.regrow = undefined;
      keepAnnotations(fn);
    }
    delete mod.tree;
  }
}

/**
 * A function's parameter annotations outlive its tree, cut loose from it so that they do not keep it: a
 * tool registered in another module reads them there (`port: int` is no text the model can write).
 */
function keepAnnotations(fn: FunctionInfo): void {
  for (const param of fn.params) if (param.annotation) param.annotation.parent = null;
}
