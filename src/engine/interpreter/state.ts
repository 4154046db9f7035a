// What the interpreter keeps while it walks: scopes (one per module, function, class body and
// comprehension), the records behind the opaque function, class and module handles of values.ts, and the
// arguments of a call as evaluated.
import { JournaledVars } from "../journaled-vars.js";
import type { PythonModule } from "../modules.js";
import type { SinkHit } from "../rule.js";
import type { SyntaxNode } from "../syntax.js";
import type { Location, Span } from "../types.js";
import type { ClassRef, FunctionRef, ModuleRef, Value } from "../values.js";
import type { FieldStore } from "./fields.js";

export type Node = SyntaxNode;

export interface Param {
  name: string;
  index: number;
  kind: "positional" | "args" | "kwargs" | "keyword_only";
  annotation: Node | null;
  location: Span;
}

/** Why a function's parameters come from outside: a tool (see tools.ts) or a request handler. */
export interface ParamSource {
  kind: "llm" | "remote";
  why: string;
  /** For tools: what made the function one (`tool \`run\``), for the trace. */
  tool?: string;
  /** Recognised by names only (`tool_shapes`): the finding's confidence is medium. */
  byShape?: boolean;
  /** The framework passes its own context first (Pydantic AI's `RunContext`). */
  skipFirst?: boolean;
  /** `self` is the model's message too (langroid's `ToolMessage.handle`). */
  selfIsMessage?: boolean;
}

export interface Summary {
  returns: Value;
  /** Sinks reached by a parameter: replayed at each call site with the arguments' taint. */
  paramHits: SinkHit[];
  /** Parameters stored in fields (see fields.ts): replayed at each call site with the arguments' taint. */
  fieldStores?: FieldStore[];
}

export interface FunctionInfo extends FunctionRef {
  qualname: string;
  /** Released once the summary exists (the tree goes with it). */
  node: Node | undefined;
  /** While the module's tree is let go before its summaries exist: builds `node` again (interpreter.ts). */
  regrow?: (() => Node | undefined) | undefined;
  location: Location;
  module: PythonModule;
  params: Param[];
  definingScope: Scope;
  cls?: ClassInfo;
  isLambda: boolean;
  /** Parameters the model chooses (tool handlers) or the network fills (request handlers). */
  paramSource?: ParamSource;
  isStatic: boolean;
  isClassMethod: boolean;
  /** A method whose body only raises NotImplementedError (loaded-modules.ts). */
  isAbstract?: boolean;
  /** `@property` / `@cached_property`: reading the attribute calls it. */
  isProperty?: boolean;
  summary?: Summary | undefined;
  computing: boolean;
  /** Summaries that called this one while being computed (fields.ts: recomputed with it). */
  summaryCallers?: Set<FunctionInfo>;
}

export interface ClassInfo extends ClassRef {
  qualname: string;
  module: PythonModule;
  scope: Scope;
  methods: Map<string, FunctionInfo>;
  attrs: Map<string, Value>;
  bases: Value[];
  attrsReady: boolean;
  /** Summaries that read each attribute while being computed (fields.ts: stale when it gains data). */
  fieldReaders?: Map<string, Set<FunctionInfo>>;
  /** Subclass methods overriding each method, once every subclass is defined (classes.ts `overridesOf`). */
  overridesByName?: Map<string, FunctionInfo[]>;
}

export interface ModuleInfo extends ModuleRef {
  source: PythonModule;
}

export class Scope {
  readonly vars = new JournaledVars();
  readonly globals = new Set<string>();
  returns: Value | undefined;
  validated = false;
  summaryHits: SinkHit[] | undefined;
  fieldStores: FieldStore[] | undefined;
  constructor(
    readonly kind: "module" | "function" | "class" | "comprehension",
    readonly parent: Scope | undefined,
    readonly owner: FunctionInfo | undefined,
    readonly name: string,
  ) {}
}

export interface ArgumentValue {
  node: Node | undefined;
  value: Value;
}

export interface Arguments {
  positional: ArgumentValue[];
  keywords: Map<string, ArgumentValue & { whole?: Node }>;
  splat: ArgumentValue | undefined;
}

export const MAX_CALL_DEPTH = 100;
