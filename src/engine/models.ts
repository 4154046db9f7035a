// API knowledge (sources, sinks, propagators, sanitizers) compiled from the YAML rows in rules/models/.
// Parsing the YAML is the caller's job (I/O stays outside the engine); this module turns plain rows into
// matchers. A path is what the interpreter computes for a value: `openai.OpenAI().chat.completions.create()`.
import { ApiClues } from "./clues.js";
import { escapeRegex } from "./regex.js";
import { type CompiledToolModels, compileToolModels, type ToolRows } from "./tool-models.js";
import type { ProvenanceKind } from "./types.js";

export type SinkCategory = "code" | "shell" | "process" | "import" | "deserialization";

/** A condition on one argument of a call, by keyword and/or position. */
export interface ArgumentCondition {
  keyword?: string;
  position?: number;
  /** Literal value (true, false, a string or number) the argument must equal. */
  equals?: boolean | string | number | null;
  /** API paths (or literal strings) the argument's value must be one of. */
  in?: string[];
  /** True when the argument must be absent. */
  absent?: boolean;
  /** The argument is present and not a false literal (False, None, 0, ""): a variable counts as true. */
  truthy?: boolean;
}

export interface VersionGate {
  /** PyPI package whose pinned range decides. */
  package: string;
  /** From this version on the library's default is safe. */
  safeFrom: string;
  /** Why, for the message: "torch.load defaults to weights_only=True". */
  because: string;
  /** Whether a project that does not pin the package gets the finding (an old version may be installed). */
  reportWhenUnpinned: boolean;
}

export interface FixTemplate {
  kind: "replace_callee" | "set_keyword" | "remove_keyword";
  /** replace_callee: new callee text; its module prefix follows how the call was written. */
  callee?: string;
  keyword?: string;
  value?: string;
  safety: "safe" | "unsafe";
  description: string;
}

export interface SinkModel {
  api: string;
  category: SinkCategory;
  /** Positions and keyword names whose value is the dangerous input. */
  args: (number | string)[];
  /** Any extra positional argument is an input too (os.execl's argument list). */
  vararg: boolean;
  /** The callee itself is the input: `globals()[name]()` runs whatever function the name picks. */
  calleeIsInput?: boolean;
  /** The input is the path of a Python file the call runs (`runpy.run_path`, `spec_from_file_location`). */
  runsFile?: boolean;
  /** The rule that reports this sink whatever the data's origin (deserialization family), if any. */
  rule?: string;
  /** The call is a sink only when all of these hold. */
  onlyIf: ArgumentCondition[];
  /** The call is not a sink when any of these holds. */
  unless: ArgumentCondition[];
  /** Conditions on how the receiver was built (`YAML(typ="unsafe")`), by its literal keyword arguments. */
  receiverOnlyIf?: ArgumentCondition[];
  /** With `onlyIfMissing`: the default became safe in a version; the project's pins decide. */
  versionGate?: VersionGate;
  /** Keyword (and position) whose absence is what the version gate is about. */
  gateKeyword?: string;
  gatePosition?: number;
  fix?: FixTemplate;
  /** Short name of the danger for messages, e.g. "unpickles". */
  note?: string;
  /**
   * The serializer writing this format (`pickle.{dump,dumps}`): a module that calls it and loads data of no
   * outside origin is reading state it wrote itself (a cache, a deep copy, a round trip).
   */
  writer?: string;
  /** `model`: the loader's input is normally a model or checkpoint file, a file the operator chooses. */
  artifact?: "model";
}

export interface MethodSinkModel extends Omit<SinkModel, "api"> {
  method: string;
  whenImported: string;
}

export interface PropagatorModel {
  api: string;
  args?: (number | string)[];
}

/** A call that calls the function it is given (`Thread(target=f, args=(x,))`, `pool.submit(f, x)`, `map(f, xs)`). */
export interface FunctionCallerModel {
  api: string;
  /** Where the function is (first found). */
  function?: (number | string)[];
  /** A tuple of the function's positional arguments (`args=`). */
  args?: (number | string)[];
  /** A dict of its keyword arguments (`kwargs=`). */
  kwargs?: (number | string)[];
  /** An iterable whose items are passed one at a time (`map`). */
  each?: (number | string)[];
  /** Positional arguments from this one on, and keywords, are passed on (`submit(fn, *args, **kwargs)`). */
  rest?: number;
  /** The call's result carries what the function returns. */
  returns?: boolean;
}

export interface ModelRows {
  llmSources?: { api: string; sdk?: string }[];
  remoteSources?: { api: string }[];
  sinks?: SinkModel[];
  methodSinks?: MethodSinkModel[];
  interpreters?: string[];
  propagators?: PropagatorModel[];
  sanitizers?: { api: string }[];
  mutators?: string[];
  stringBuilders?: string[];
  validators?: { api: string }[];
  pipelineOperands?: string[];
  pipelineResult?: string;
  fluentMethods?: string[];
  /** A model wrapper's call by its names: receiver (regular expression) and method names. */
  wrapperReceivers?: string;
  wrapperMethods?: string[];
  /** Functions the model calls with arguments it chooses (llm-tools.yml). */
  tools?: ToolRows;
  requestHandlerDecorators?: { api: string }[];
  requestParameters?: { name: string; whenImported: string }[];
  llmHttpEndpoints?: string[];
  /** Key sets of chat APIs' request bodies (`[model, messages]`): a POST with such a JSON body calls a model. */
  llmHttpBodies?: string[][];
  /** Calls that vouch for one argument when true (`re.fullmatch(pattern, x)`): its position. */
  allowlistGuards?: { api: string; subject: number }[];
  /** Calls that open a file by the path given first (`open`, `pathlib.Path`). */
  fileOpeners?: string[];
  /** Calls whose result is a file object (`open`, `tempfile.NamedTemporaryFile`). */
  fileObjects?: string[];
  /** Calls that load a module by the name given first (`importlib.import_module`, `__import__`). */
  moduleLoaders?: string[];
  functionCallers?: FunctionCallerModel[];
  /** A subclass of a base whose path ends so and that overrides the method is not the library's class. */
  restrictingOverrides?: { baseEndsWith: string; method: string }[];
  /** What a framework's factory returns (`metagpt.llm.LLM` → `metagpt.provider.base_llm.BaseLLM`). */
  returnTypes?: { api: string; type: string }[];
  /** Words in a deserializer's argument or origin that name a model file (`checkpoint_path`, `model.pkl`). */
  modelArtifactNames?: string[];
}

const NONE: readonly never[] = [];

/** Matches API paths against a set of patterns, indexed by their first name for speed. */
export class PathMatcher<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byRoot = new Map<string, { regex: RegExp; value: T }[]>();

  add(pattern: string, value: T): void {
    for (const expanded of expandAlternatives(pattern)) {
      if (!expanded.includes("*")) {
        const list = this.exact.get(expanded);
        if (list) list.push(value);
        else this.exact.set(expanded, [value]);
        continue;
      }
      const root = expanded.split(/[.(]/, 1)[0] ?? "";
      const regex = new RegExp(`^${expanded.split("*").map(escapeRegex).join("[A-Za-z0-9_]*")}$`);
      const list = this.byRoot.get(root) ?? [];
      list.push({ regex, value });
      this.byRoot.set(root, list);
    }
  }

  /** The first row whose pattern matches. */
  match(path: string): T | undefined {
    const hit = this.exact.get(path);
    if (hit !== undefined) return hit[0];
    const root = rootOf(path);
    const candidates = this.byRoot.get(root);
    if (!candidates) return undefined;
    for (const candidate of candidates) if (candidate.regex.test(path)) return candidate.value;
    return undefined;
  }

  /** Every row whose pattern matches (one API can have several rows with different conditions). */
  matchAll(path: string): readonly T[] {
    // Asked at nearly every call: no array is made unless a wildcard row matches.
    const exact = this.exact.get(path);
    const candidates = this.byRoot.get(rootOf(path));
    if (!candidates) return exact ?? NONE;
    let out: T[] | undefined;
    for (const candidate of candidates)
      if (candidate.regex.test(path)) {
        out ??= exact ? [...exact] : [];
        out.push(candidate.value);
      }
    return out ?? exact ?? NONE;
  }

  /** True when some pattern could match a path starting with this root name (cheap pre-check). */
  hasRoot(root: string): boolean {
    return this.byRoot.has(root) || this.exactRoots().has(root);
  }

  private roots?: Set<string>;
  private exactRoots(): Set<string> {
    if (!this.roots) this.roots = new Set([...this.exact.keys()].map(rootOf));
    return this.roots;
  }
}

function rootOf(path: string): string {
  let end = 0;
  while (end < path.length && path[end] !== "." && path[end] !== "(") end++;
  return path.slice(0, end);
}

/** `a.{b,c}.d` → [`a.b.d`, `a.c.d`], nested braces included. */
/** Chat request bodies by their keys; a file may build one when each key of a set is a quoted string in it. */
function bodiesOf(keySets: readonly (readonly string[])[]): CompiledModels["llmBodies"] {
  const quoted = keySets.map((keys) => keys.map((key) => new RegExp(`["']${escapeRegex(key)}["']`)));
  return {
    keySets,
    text: (text) => quoted.some((keys) => keys.length > 0 && keys.every((key) => key.test(text))),
  };
}

function wrapperCallsOf(rows: ModelRows): CompiledModels["wrapperCalls"] {
  const methods = (rows.wrapperMethods ?? []).filter((m) => /^\w+$/.test(m));
  if (!rows.wrapperReceivers || methods.length === 0)
    return { receiver: /(?!)/, methods: new Set(), text: /(?!)/ };
  return {
    receiver: new RegExp(`^(?:${rows.wrapperReceivers})$`, "i"),
    methods: new Set(methods),
    text: new RegExp(`\\b(?:${rows.wrapperReceivers})\\s*\\.\\s*(?:${methods.join("|")})\\s*\\(`, "i"),
  };
}

export function expandAlternatives(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (ch === "," && depth === 1) commas.push(i);
  }
  if (close < 0) return [pattern];
  const bounds = [open, ...commas, close];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const option = pattern.slice(bounds[i]! + 1, bounds[i + 1]);
    for (const rest of expandAlternatives(option + tail)) out.push(head + rest);
  }
  return out;
}

export interface CompiledModels {
  sources: PathMatcher<ProvenanceKind>;
  sinks: PathMatcher<SinkModel>;
  methodSinks: Map<string, MethodSinkModel[]>;
  interpreters: Set<string>;
  propagators: PathMatcher<PropagatorModel>;
  sanitizers: PathMatcher<true>;
  validators: PathMatcher<true>;
  mutators: Set<string>;
  stringBuilders: Set<string>;
  pipelineOperands: PathMatcher<true>;
  pipelineResult: string;
  fluentMethods: Set<string>;
  /** A project's model wrapper recognised by names: `receiver` tests the receiver's name, `text` a file's code. */
  wrapperCalls: { receiver: RegExp; methods: ReadonlySet<string>; text: RegExp };
  tools: CompiledToolModels;
  requestHandlerDecorators: PathMatcher<true>;
  /** Parameters that hold the HTTP request in a framework's views (`request` with Django imported). */
  requestParameters: readonly { name: string; whenImported: string }[];
  /** URL fragments of model REST APIs: an HTTP response from one is model output. */
  llmEndpoints: RegExp;
  /** Key sets of chat APIs' request bodies, and a test of a file's text for one (every key quoted). */
  llmBodies: { keySets: readonly (readonly string[])[]; text: (text: string) => boolean };
  /** Calls that vouch for the argument at `subject` when true (allowlist checks by pattern). */
  allowlistGuards: PathMatcher<{ subject: number }>;
  /** Exact API paths of calls that open a file by the path given first. */
  fileOpeners: Set<string>;
  /** Exact API paths of calls whose result is a file object. */
  fileObjects: Set<string>;
  /** Exact API paths of calls that load a module by the name given first. */
  moduleLoaders: Set<string>;
  functionCallers: PathMatcher<FunctionCallerModel>;
  restrictingOverrides: readonly { baseEndsWith: string; method: string }[];
  /** The class (a dotted name) a call returns, for factories whose code the scan cannot see. */
  returnTypes: PathMatcher<string>;
  /**
   * Clues of the sinks reported whatever the data's origin (deserializers), and of model output (see
   * `entryModules` in analyze.ts).
   */
  sinkClues: ApiClues;
  /** Clues of the sinks that matter for model output only (eval, shells, dynamic imports). */
  executionSinkClues: ApiClues;
  /** Clues of model output: an import of the SDK suffices (its client may be built in another file). */
  sourceClues: ApiClues;
  /**
   * Clues of tool definitions (model-chosen arguments): the decorator's, base class's or registration's
   * name must be in the file too, since a framework's package is imported for much besides its tools.
   */
  toolClues: ApiClues;
  /** Untrusted input other than model output (network, argv): matters only on the way to a sink. */
  remoteClues: ApiClues;
}

function apiClues(
  requireName: boolean,
  patterns: readonly string[],
  methods: readonly [string, string][] = [],
): ApiClues {
  const clues = new ApiClues(requireName);
  for (const pattern of patterns) for (const path of expandAlternatives(pattern)) clues.add(path);
  for (const [module, method] of methods) clues.addImported(module.split(".")[0]!, method);
  return clues;
}

function returnTypesOf(rows: readonly { api: string; type: string }[]): PathMatcher<string> {
  const matcher = new PathMatcher<string>();
  for (const row of rows) matcher.add(row.api, row.type);
  return matcher;
}

function guardMatcher(rows: readonly { api: string; subject: number }[]): PathMatcher<{ subject: number }> {
  const matcher = new PathMatcher<{ subject: number }>();
  for (const row of rows) matcher.add(row.api, { subject: row.subject });
  return matcher;
}

export function compileModels(rows: ModelRows): CompiledModels {
  const sources = new PathMatcher<ProvenanceKind>();
  for (const row of rows.llmSources ?? []) sources.add(row.api, "llm");
  for (const row of rows.remoteSources ?? []) sources.add(row.api, "remote");
  const sinks = new PathMatcher<SinkModel>();
  for (const row of rows.sinks ?? []) sinks.add(row.api, row);
  const methodSinks = new Map<string, MethodSinkModel[]>();
  for (const row of rows.methodSinks ?? []) {
    const list = methodSinks.get(row.method) ?? [];
    list.push(row);
    methodSinks.set(row.method, list);
  }
  const matcherOf = <T>(list: { api: string }[] | undefined, value: (row: { api: string }) => T) => {
    const matcher = new PathMatcher<T>();
    for (const row of list ?? []) matcher.add(row.api, value(row));
    return matcher;
  };
  return {
    sources,
    sinks,
    methodSinks,
    interpreters: new Set(rows.interpreters ?? []),
    propagators: matcherOf(rows.propagators, (row) => row as PropagatorModel),
    sanitizers: matcherOf(rows.sanitizers, () => true as const),
    validators: matcherOf(rows.validators, () => true as const),
    mutators: new Set(rows.mutators ?? []),
    stringBuilders: new Set(rows.stringBuilders ?? []),
    pipelineOperands: matcherOf(
      (rows.pipelineOperands ?? []).map((api) => ({ api })),
      () => true as const,
    ),
    pipelineResult: rows.pipelineResult ?? "langchain_core.runnables.RunnableSequence()",
    fluentMethods: new Set(rows.fluentMethods ?? []),
    wrapperCalls: wrapperCallsOf(rows),
    tools: compileToolModels(rows.tools),
    requestHandlerDecorators: matcherOf(rows.requestHandlerDecorators, () => true as const),
    requestParameters: rows.requestParameters ?? [],
    allowlistGuards: guardMatcher(rows.allowlistGuards ?? []),
    fileOpeners: new Set((rows.fileOpeners ?? []).flatMap(expandAlternatives)),
    fileObjects: new Set((rows.fileObjects ?? []).flatMap(expandAlternatives)),
    moduleLoaders: new Set((rows.moduleLoaders ?? []).flatMap(expandAlternatives)),
    functionCallers: matcherOf(rows.functionCallers, (row) => row as FunctionCallerModel),
    restrictingOverrides: rows.restrictingOverrides ?? [],
    returnTypes: returnTypesOf(rows.returnTypes ?? []),
    llmBodies: bodiesOf(rows.llmHttpBodies ?? []),
    llmEndpoints:
      (rows.llmHttpEndpoints ?? []).length > 0
        ? new RegExp((rows.llmHttpEndpoints ?? []).map(escapeRegex).join("|"))
        : /(?!)/,
    // Only sinks a rule reports whatever the data's origin make a file worth reading on its own. The
    // others (eval, shells, imports) matter only for model output, so only in modules that carry it and
    // in the modules those import, which the interpreter follows from there.
    sinkClues: apiClues(
      true,
      (rows.sinks ?? []).filter((r) => r.rule !== undefined).map((r) => r.api),
      (rows.methodSinks ?? []).filter((r) => r.rule !== undefined).map((r) => [r.whenImported, r.method]),
    ),
    executionSinkClues: apiClues(
      true,
      (rows.sinks ?? []).filter((r) => r.rule === undefined).map((r) => r.api),
      (rows.methodSinks ?? []).filter((r) => r.rule === undefined).map((r) => [r.whenImported, r.method]),
    ),
    remoteClues: apiClues(false, [
      ...(rows.remoteSources ?? []).map((r) => r.api),
      ...(rows.requestHandlerDecorators ?? []).map((r) => r.api),
      ...(rows.requestParameters ?? []).map((r) => r.whenImported),
    ]),
    sourceClues: apiClues(
      false,
      (rows.llmSources ?? []).map((r) => r.api),
    ),
    toolClues: apiClues(true, compileToolModels(rows.tools).cluePaths),
  };
}
