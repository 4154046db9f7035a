import { createHash } from "node:crypto";
import { type DependencyPins, pinsOf } from "./dependencies/pins.js";
import { type ManifestScope, manifestScope } from "./dependencies/scope.js";
import { decideVersionGate } from "./dependencies/versions.js";
import { ApiClues, readCode } from "./clues.js";
import { escapeRegex } from "./regex.js";
import { DEFAULT_MAX_FILE_BYTES, isPythonSource } from "./file-policy.js";
import { readImports } from "./import-statements.js";
import { excludesPaths } from "./glob.js";
import { nestingBeyondCPython, pythonSourceText, withCommentLinesBlanked } from "./source-text.js";
import { Suppressions } from "./suppressions.js";
import { sinkSideFallbackHits } from "./sink-fallback.js";
import { BudgetExceeded, Interpreter } from "./interpreter.js";
import { formatSeconds } from "./interpreter/budget.js";
import { type ParsedFile, parsePython } from "./parse.js";
import { type ModelRows, compileModels, type CompiledModels, expandAlternatives } from "./models.js";
import { withConfigRows } from "./model-rows.js";
import { isNotebookPath, notebooksAsPython } from "./notebooks.js";
import { ModuleTable, moduleNameOf, type PythonModule } from "./modules.js";
import type { Advisory, Rule, RuleContext, SinkHit, Verdict } from "./rule.js";
import { helpUri } from "./rule.js";
import type { EngineSettings } from "./settings.js";
import type { AnalysisResult, Diagnostic, Finding, LineRanges, SourceFile, TraceStep } from "./types.js";

export interface AnalysisOptions {
  /** API knowledge from rules/models (read by the caller: the engine does no I/O). */
  models: ModelRows;
  /**
   * The dependency pins of the manifests among `files` (read by the caller, src/manifests/): they decide
   * version gates and the dependency rule's advisories. None when absent.
   */
  dependencies?: DependencyPins;
  /** Advisories for the dependency rule (rules/models/advisories.yml, read by the caller). */
  advisories?: readonly Advisory[];
  /**
   * When given, only findings with the sink or a trace step on these lines are reported, and files
   * absent from the map are context only (imported modules fetched to follow flows across files).
   */
  changedLines?: ReadonlyMap<string, LineRanges>;
  /** Every rule there is (disabled ones too: suppressions naming them are not misspellings). */
  rules: readonly Rule[];
  /** Rule switches, severity overrides, excludes and extra sources/sinks/sanitizers (from the configuration). */
  settings: Readonly<EngineSettings>;
  /**
   * Interpret every module and follow every import, without the relevance filter (`entryModules`). Slower;
   * for tests and the benchmark, which check that the filter loses no finding.
   */
  interpretEveryModule?: boolean;
  /**
   * Trees parsed ahead of the analysis (on other threads, say): asked for a module's tree before it is
   * parsed here; undefined means parse it here. Must give the tree `parsePython` would.
   */
  parsedTree?: (path: string, text: string) => ParsedFile | undefined;
  /**
   * Python files larger than this are not analysed, and listed as such (`incomplete: "file"`). The one size
   * limit: the CLI's --max-file-size, the App's file limit. Default `DEFAULT_MAX_FILE_BYTES`.
   */
  maxFileBytes?: number;
  /**
   * Every Python path of the project, analysed or not (the CLI's walk of the project root, the App's tree):
   * import resolution asks it which folders are packages, so a file resolves its imports the same whether
   * or not the package's `__init__.py` is among `files`. Default: the paths of `files`.
   */
  projectPaths?: readonly string[];
  /** Budgets, in milliseconds of `clock` (the engine reads no clock of its own; without one, none apply). */
  budget?: AnalysisBudget;
}

export interface AnalysisBudget {
  /** Milliseconds, e.g. `performance.now`. */
  clock: () => number;
  /** One file's interpretation; past it the file is cut off and named (`incomplete: "part"`). */
  fileMs: number;
  /** The whole analysis; past it the files not yet begun are named (`incomplete: "file"`). */
  totalMs: number;
}

/** What `analyzeAsync` tells its caller as it goes. */
export interface AnalysisHooks {
  /**
   * The modules that will be parsed, in the order expected, once they are known (before any is parsed):
   * each entry, then the modules it is expected to import and interpret (predicted from its imports).
   */
  planned?: (modules: readonly { path: string; text: string }[]) => void;
  /** Awaited before each entry is interpreted; the modules planned before it are behind the analysis. */
  beforeModule?: (path: string) => Promise<void>;
  /** Awaited every few megabytes interpreted; the adapters may ask for a garbage collection there. */
  pause?: () => Promise<void>;
}

/**
 * Version gates are decided by the manifests of the project a file belongs to (dependencies/scope.ts);
 * vendored copies of other projects' manifests pin nothing and are not checked for advisories.
 */
function ruleContext(
  files: readonly SourceFile[],
  advisories: readonly Advisory[],
  modules: readonly PythonModule[] = [],
  rows: ModelRows = {},
  projectPaths: readonly string[] = [],
  all: DependencyPins = { packages: new Map(), files: [], constraints: [] },
): RuleContext & { manifests(): DependencyPins["files"] } {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const views = new Map<string, ReturnType<typeof readCode>>();
  const writerClues = new Map<string, ApiClues>();
  const artifactNames = (rows.modelArtifactNames ?? []).filter((name) => name !== "");
  const artifactRegex =
    artifactNames.length > 0 ? new RegExp(artifactNames.map(escapeRegex).join("|"), "i") : undefined;
  let read: { own: DependencyPins; scope: ManifestScope } | undefined;
  const readPins = () => {
    if (!read) {
      const scope = manifestScope([...files.map((file) => file.path), ...projectPaths], all);
      const ownFiles = all.files.filter((m) => !scope.isVendored(m.path));
      const own = { ...pinsOf(all.constraints.filter((c) => !scope.isVendored(c.path))), files: ownFiles };
      read = { own, scope };
    }
    return read;
  };
  return {
    advisories,
    moduleWrites(path, writer) {
      const mod = byPath.get(path);
      if (!mod) return false;
      let clues = writerClues.get(writer);
      if (!clues) {
        clues = new ApiClues(true);
        for (const expanded of expandAlternatives(writer)) clues.add(expanded);
        writerClues.set(writer, clues);
      }
      let view = views.get(path);
      if (!view) {
        view = readCode(mod.text);
        views.set(path, view);
      }
      return clues.matches(view);
    },
    namesModelArtifact: (text) => artifactRegex?.test(text) ?? false,
    pins: () => readPins().own,
    manifests: () => readPins().own.files,
    decideVersion: (gate, path) => {
      const { own, scope } = readPins();
      return decideVersionGate(
        path === undefined ? own : { ...scope.pinsFor(path, gate.package), files: [] },
        gate,
      );
    },
  };
}

const compiledCache = new WeakMap<ModelRows, CompiledModels>();

export function analyze(files: readonly SourceFile[], options: AnalysisOptions): AnalysisResult {
  const notebooks = notebooksAsPython(files, options);
  const steps = analysisSteps(notebooks.files, notebooks.options);
  for (;;) {
    const step = steps.next();
    if (step.done) return notebooks.restore(step.value);
  }
}

/** Bytes parsed between two pauses of `analyzeAsync`. */
const PAUSE_EVERY_BYTES = 2 * 1024 * 1024;

/**
 * The same analysis, pausing between modules so the event loop turns: tree-sitter's native trees are
 * freed by finalizers that only run then, so without pauses native memory grows with the bytes parsed
 * in one call. The CLI and the App use this; results are identical to `analyze`.
 */
export async function analyzeAsync(
  files: readonly SourceFile[],
  options: AnalysisOptions & AnalysisHooks,
): Promise<AnalysisResult> {
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const notebooks = notebooksAsPython(files, options);
  const steps = analysisSteps(notebooks.files, notebooks.options);
  let sincePause = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return notebooks.restore(step.value);
    const event = step.value;
    if (event.kind === "planned") options.planned?.(event.modules);
    else if (event.kind === "before") {
      if (options.beforeModule) await options.beforeModule(event.path);
    } else {
      sincePause += event.bytes;
      if (sincePause >= PAUSE_EVERY_BYTES) {
        sincePause = 0;
        await pause();
      }
    }
  }
}

type AnalysisEvent =
  | { kind: "planned"; modules: readonly PythonModule[] }
  | { kind: "before"; path: string }
  | { kind: "interpreted"; bytes: number };

/** Yields the plan, then around each module it interprets; returns the result. */
function* analysisSteps(
  files: readonly SourceFile[],
  options: AnalysisOptions,
): Generator<AnalysisEvent, AnalysisResult> {
  const { settings } = options;
  const diagnostics: Diagnostic[] = [];
  const rules = options.rules.filter((rule) => settings.rules[rule.meta.id]?.enabled !== false);
  const models = compiledModelsFor(options.models, settings);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let bytes = 0;

  const pythonModules: PythonModule[] = [];
  const excluded = excludesPaths(settings.exclude);
  for (const file of files) {
    bytes += file.text.length;
    if (excluded(file.path)) continue;
    if (!isPythonSource(file.path) && !isNotebookPath(file.path)) continue;
    if (file.text.length > maxFileBytes) {
      diagnostics.push({
        path: file.path,
        severity: "warning",
        message: `not analysed: larger than the size limit of ${maxFileBytes} bytes`,
        incomplete: "file",
      });
      continue;
    }
    if (file.text.includes("\u0000")) {
      diagnostics.push({
        path: file.path,
        severity: "warning",
        message: "not analysed: binary content (NUL bytes)",
        incomplete: "file",
      });
      continue;
    }
    const source = pythonSourceText(file.text);
    const tooDeep = nestingBeyondCPython(source);
    if (tooDeep) {
      diagnostics.push({
        path: file.path,
        severity: "warning",
        line: tooDeep.line,
        message: `not analysed: ${tooDeep.message} at line ${tooDeep.line}`,
        incomplete: "file",
      });
      continue;
    }
    const { name, packageName } = moduleNameOf(file.path);
    const text = withCommentLinesBlanked(source);
    pythonModules.push({ name, packageName, path: file.path, text, imports: new Set(), functions: [] });
  }

  const table = new ModuleTable(pythonModules, options.projectPaths);
  const { entries, parseOrder } = options.interpretEveryModule
    ? { entries: everyModule(pythonModules), parseOrder: pythonModules }
    : entryModules(pythonModules, table, models);
  const { parsedTree } = options;
  const interpreter = new Interpreter(
    models,
    table,
    entries,
    parsedTree
      ? (mod, timeoutMs) => parsedTree(mod.path, mod.text) ?? parsePython(mod.text, timeoutMs)
      : undefined,
  );
  yield { kind: "planned", modules: parseOrder };
  let parseErrors = 0;
  const { budget } = options;
  const startedAt = budget?.clock();
  for (const mod of entries) {
    // An entry imported by an earlier one is interpreted already.
    if (mod.scope) continue;
    if (budget && startedAt !== undefined && budget.clock() - startedAt > budget.totalMs) {
      const message = `not analysed: the analysis exceeded its time budget of ${formatSeconds(budget.totalMs)} before this file`;
      diagnostics.push({ path: mod.path, severity: "warning", message, incomplete: "file" });
      continue;
    }
    yield { kind: "before", path: mod.path };
    const before = interpreter.interpretedBytes;
    if (budget && startedAt !== undefined) {
      const now = budget.clock();
      const fileEnd = now + budget.fileMs;
      const totalEnd = startedAt + budget.totalMs;
      interpreter.deadline = {
        clock: budget.clock,
        at: Math.min(fileEnd, totalEnd),
        budgetMs: fileEnd <= totalEnd ? budget.fileMs : budget.totalMs,
      };
    }
    try {
      interpreter.interpretModule(mod);
    } catch (error) {
      if (error instanceof BudgetExceeded) {
        // The file is cut off where the budget ran out; what it found before that still counts.
        for (const path of new Set([mod.path, error.path])) {
          if (error.stage === "while parsing" && path === error.path) {
            diagnostics.push({
              path,
              severity: "warning",
              message: `not analysed: ${error.message} while parsing ${error.path}`,
              incomplete: "file",
            });
          } else {
            diagnostics.push({
              path,
              severity: "warning",
              line: error.line,
              message: `not fully analysed: ${error.message} (stopped at line ${error.line} of ${error.path})`,
              incomplete: "part",
            });
          }
        }
      } else {
        // The engine must not throw on any input; an internal failure costs one file, reported.
        diagnostics.push({
          path: mod.path,
          severity: "error",
          message: `internal error while analysing: ${(error as Error).message}`,
          incomplete: "part",
        });
      }
    }
    yield { kind: "interpreted", bytes: interpreter.interpretedBytes - before };
  }
  diagnostics.push(...interpreter.diagnostics);
  interpreter.hits.push(...interpreter.unbuiltWrapperHits());
  if (settings.sinkSideFallback)
    interpreter.hits.push(
      ...sinkSideFallbackHits(interpreter.hits, pythonModules, models, interpreter.sinkCalls),
    );
  for (const mod of pythonModules) {
    if (!mod.syntaxError) continue;
    parseErrors++;
    diagnostics.push({
      path: mod.path,
      severity: "warning",
      line: mod.syntaxError.line,
      message: `syntax error at line ${mod.syntaxError.line}, column ${mod.syntaxError.column}: analysed the parts that parse`,
    });
  }

  const context = ruleContext(
    files,
    options.advisories ?? [],
    pythonModules,
    options.models,
    options.projectPaths,
    options.dependencies,
  );
  const candidates: Finding[] = [];
  const seen = new Set<string>();
  for (const hit of interpreter.hits) {
    for (const rule of rules) {
      const verdict = rule.checkHit?.(hit, context);
      if (!verdict) continue;
      const key = `${rule.meta.id}|${hit.location.path}|${hit.location.startLine}|${hit.location.startColumn}|${verdict.provenance}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(toFinding(rule, hit, verdict, settings));
    }
  }
  // Findings on manifests are one per line and advisory: several advisories on one pin are all reported, so
  // they are not merged with the per-sink step below (which keeps one origin per sink).
  const fileFindings: Finding[] = [];
  for (const rule of rules) {
    if (rule.checkFiles)
      fileFindings.push(...rule.checkFiles(files, context).map((f) => applyOverrides(f, settings)));
  }
  // A manifest that cannot be read is said, like a Python syntax error: its pins decide version gates and
  // advisories, so a silent one would read as "nothing pinned" or "nothing vulnerable".
  for (const manifest of context.manifests()) {
    if (excluded(manifest.path) || (options.changedLines && !options.changedLines.has(manifest.path)))
      continue;
    diagnostics.push(...manifest.diagnostics);
  }

  const suppressions = new Suppressions(files, new Set(options.rules.map((rule) => rule.meta.id)));
  const strongest = [...keepStrongestPerSink(candidates), ...fileFindings];
  assignFingerprints(strongest);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of strongest) {
    // Looked up before the changed-lines filter, so a suppression of a finding off those lines is used.
    const suppression = suppressions.suppressionFor(finding);
    if (options.changedLines && !touchesChangedLines(finding, options.changedLines)) continue;
    if (suppression) suppressed.push({ ...finding, suppression });
    else findings.push(finding);
  }
  // Files fetched only as context (not in the change) get no warnings about their comments.
  const reportable = (path: string) => !options.changedLines || options.changedLines.has(path);
  diagnostics.push(
    ...suppressions.diagnostics.filter((d) => reportable(d.path)),
    ...suppressions.unused(reportable),
  );
  const order = (a: Finding, b: Finding) =>
    a.location.path.localeCompare(b.location.path) ||
    a.location.startLine - b.location.startLine ||
    a.location.startColumn - b.location.startColumn ||
    a.ruleId.localeCompare(b.ruleId);
  findings.sort(order);
  suppressed.sort(order);
  return {
    findings,
    suppressed,
    diagnostics,
    stats: {
      files: files.length,
      bytes,
      parseErrors,
      interpreted: interpreter.interpretedCount,
      interpretedBytes: interpreter.interpretedBytes,
      steps: interpreter.steps,
    },
  };
}

/**
 * The modules worth interpreting on their own:
 * - carriers: modules that mention an LLM SDK or a model endpoint, and those that import one (directly or
 *   not), since they can carry model output to a sink in another module;
 * - modules that mention a sink a rule reports whatever the data's origin (deserializers);
 * - modules with a sink for model output only (eval, shells) that a carrier imports, directly or through
 *   other modules: model output can reach them through helpers in between;
 * - modules that read network input and import a module with a deserializer, or are imported by one,
 *   directly or through other such modules.
 * Every other module can hold no finding and is interpreted only if an entry imports it. Clues are looked
 * for in the code, not in comments or strings (see clues.ts). On code that calls no LLM this skips most
 * files (the benchmark's corpus).
 */
function entryModules(
  modules: readonly PythonModule[],
  table: ModuleTable,
  models: CompiledModels,
): { entries: PythonModule[]; parseOrder: PythonModule[] } {
  const views = new Map(modules.map((m) => [m, readCode(m.text)]));
  const code = (m: PythonModule) => views.get(m)!;
  const importers = new Map<PythonModule, PythonModule[]>();
  const imports = new Map<PythonModule, PythonModule[]>();
  for (const mod of modules) {
    for (const target of table.importedBy(mod, readImports(code(mod).code))) {
      const into = importers.get(target);
      if (into) into.push(mod);
      else importers.set(target, [mod]);
      const from = imports.get(mod);
      if (from) from.push(target);
      else imports.set(mod, [target]);
    }
  }
  const withSinks = new Set(modules.filter((m) => models.sinkClues.matches(code(m))));
  const ownModule = (m: PythonModule) => (dotted: string) => table.find(dotted, m) !== undefined;
  // Model REST endpoints are URLs: they live in string literals, so the whole text is searched.
  const callsModels = closure(
    modules.filter(
      (m) =>
        models.sourceClues.matches(code(m), ownModule(m)) ||
        models.llmEndpoints.test(m.text) ||
        (models.llmBodies.text(m.text) && models.remoteClues.matches(code(m))) ||
        models.wrapperCalls.text.test(code(m).code),
    ),
    importers,
  );
  // A module defining tools gets model output as its tools' arguments. It hands that to the modules that
  // import it only where they handle its tool messages (langroid's handler methods named after a
  // message's request): its direct importers are candidates, theirs not for its sake (a package's
  // `__init__` importing a framework's decorator would otherwise make every module of the package one).
  const definesTools = modules.filter((m) => models.toolClues.matches(code(m), ownModule(m)));
  const carriesModelOutput = new Set([
    ...callsModels,
    ...definesTools,
    ...definesTools.flatMap((m) => importers.get(m) ?? []),
  ]);
  const reachedFromCarriers = closure([...carriesModelOutput], imports);
  const sinksForCarriers = new Set(
    modules.filter((m) => reachedFromCarriers.has(m) && models.executionSinkClues.matches(code(m))),
  );
  const towardSinks = closure([...sinksForCarriers], importers, (m) => reachedFromCarriers.has(m));
  // Network input matters on its way to a deserializer: modules that read it and import a module with
  // one, or whose importers have one (they may call it for the data), directly or through other such
  // modules. Only through them: a module that is not an entry is an external name to the others, so a
  // longer chain through it could not carry the data anyway.
  // Asked once per import edge of the closure below: answered once per module.
  const networkReaders = new Map<PythonModule, boolean>();
  const readsNetwork = (m: PythonModule) => {
    let reads = networkReaders.get(m);
    if (reads === undefined) {
      reads = models.remoteClues.matches(code(m));
      networkReaders.set(m, reads);
    }
    return reads;
  };
  const feedsSinks = closure([...withSinks], importers, readsNetwork);
  for (const sink of withSinks)
    for (const imported of imports.get(sink) ?? []) if (readsNetwork(imported)) feedsSinks.add(imported);
  const entries: PythonModule[] = [];
  for (const mod of modules) {
    // Only model output is followed through helpers of every kind; network input is followed between
    // modules that can matter, which is enough to grade a deserialization sink by its origin.
    mod.carrier = carriesModelOutput.has(mod);
    mod.sinkForCarriers = sinksForCarriers.has(mod);
    mod.towardSinks = towardSinks.has(mod);
    mod.entry = mod.carrier || withSinks.has(mod) || mod.sinkForCarriers || feedsSinks.has(mod);
    if (mod.entry) entries.push(mod);
  }
  const ordered = dependenciesFirst(entries, imports);
  return { entries: ordered, parseOrder: parseOrderOf(ordered, imports) };
}

function everyModule(modules: PythonModule[]): PythonModule[] {
  for (const mod of modules) {
    mod.entry = true;
    mod.carrier = true;
  }
  return modules;
}

/**
 * Entries ordered so that a module comes after the entries it imports: each is then interpreted in its own
 * step (the analysis can pause between steps) rather than nested inside its first importer's.
 */
function dependenciesFirst(
  entries: readonly PythonModule[],
  imports: ReadonlyMap<PythonModule, PythonModule[]>,
): PythonModule[] {
  const ordered: PythonModule[] = [];
  const state = new Map<PythonModule, "visiting" | "done">();
  for (const root of entries) {
    if (state.has(root)) continue;
    // Iterative depth-first post-order: import chains can be long.
    const stack: { mod: PythonModule; next: number }[] = [{ mod: root, next: 0 }];
    state.set(root, "visiting");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = imports.get(top.mod) ?? [];
      if (top.next < targets.length) {
        const target = targets[top.next++]!;
        if (target.entry && !state.has(target)) {
          state.set(target, "visiting");
          stack.push({ mod: target, next: 0 });
        }
        continue;
      }
      stack.pop();
      state.set(top.mod, "done");
      ordered.push(top.mod);
    }
  }
  return ordered;
}

/**
 * The order modules will be parsed in: each entry, then (depth first, as the interpreter meets their
 * imports) the modules it imports that are not entries but will be interpreted for it, by the rule of
 * `findModule` (interpreter/imports.ts). A prediction from import statements, for parsing ahead on other
 * threads; a module it gets wrong is parsed when it is needed.
 */
function parseOrderOf(
  entries: readonly PythonModule[],
  imports: ReadonlyMap<PythonModule, PythonModule[]>,
): PythonModule[] {
  const listed = new Set<PythonModule>(entries);
  const order: PythonModule[] = [];
  for (const entry of entries) {
    order.push(entry);
    const stack = [entry];
    while (stack.length > 0) {
      const from = stack.pop()!;
      const targets = imports.get(from) ?? [];
      for (let i = targets.length - 1; i >= 0; i--) {
        const target = targets[i]!;
        if (listed.has(target)) continue;
        const followed = from.carrier || from.sinkForCarriers || (from.towardSinks && target.towardSinks);
        if (!followed) continue;
        listed.add(target);
        order.push(target);
        stack.push(target);
      }
    }
  }
  return order;
}

/** `start` and everything that reaches it through `edges` (stepping only onto modules that `through` admits). */
function closure(
  start: readonly PythonModule[],
  edges: ReadonlyMap<PythonModule, PythonModule[]>,
  through: (mod: PythonModule) => boolean = () => true,
): Set<PythonModule> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    for (const next of edges.get(queue.pop()!) ?? []) {
      if (!seen.has(next) && through(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function compiledModelsFor(rows: ModelRows, settings: Readonly<EngineSettings>): CompiledModels {
  const hasExtras = settings.sources.length + settings.sinks.length + settings.sanitizers.length > 0;
  if (hasExtras) return compileModels(withConfigRows(rows, settings));
  let compiled = compiledCache.get(rows);
  if (!compiled) {
    compiled = compileModels(rows);
    compiledCache.set(rows, compiled);
  }
  return compiled;
}

function toFinding(rule: Rule, hit: SinkHit, verdict: Verdict, settings: Readonly<EngineSettings>): Finding {
  const taint = hit.taints.find((t) => t.kind === verdict.provenance) ?? hit.taints[0];
  const sinkStep: TraceStep = { location: hit.location, note: `reaches \`${hit.callee}\`` };
  const trace = verdict.omitTrace || !taint ? [sinkStep] : [...taint.steps, sinkStep];
  const finding: Finding = {
    ruleId: rule.meta.id,
    severity: verdict.severity,
    confidence: verdict.confidence,
    cwe: verdict.cwe ?? rule.meta.cwe,
    message: verdict.message,
    location: hit.location,
    sinkCallee: hit.callee,
    provenance: verdict.provenance,
    trace,
    remediation: rule.meta.remediation,
    helpUri: helpUri(rule.meta.id),
    // Filled once all findings are known (occurrence numbers need the whole set).
    fingerprint: `${hit.scopeName}\u0000${hit.callee}\u0000${hit.inputText}\u0000${taint?.origin ?? ""}`,
  };
  if (verdict.fix) finding.fix = verdict.fix;
  return applyOverrides(finding, settings);
}

function applyOverrides(finding: Finding, settings: Readonly<EngineSettings>): Finding {
  const severity = settings.rules[finding.ruleId]?.severity;
  return severity ? { ...finding, severity } : finding;
}

/** Several origins reaching one sink make one finding per rule: the strongest. */
function keepStrongestPerSink(findings: Finding[]): Finding[] {
  const rank = { llm: 0, remote: 1, parameter: 2, unknown: 3, constant: 4 } as const;
  const best = new Map<string, Finding>();
  for (const finding of findings) {
    const { path, startLine, startColumn } = finding.location;
    const key = `${finding.ruleId}|${path}|${startLine}|${startColumn}`;
    const current = best.get(key);
    if (!current || rank[finding.provenance] < rank[current.provenance]) best.set(key, finding);
  }
  return [...best.values()];
}

/**
 * The fingerprint hashes what identifies a finding to a reader — rule, file, enclosing function, sink,
 * argument text, origin — and not its line, so it survives edits above it. Identical ones in the same
 * file are numbered in order of appearance.
 */
function assignFingerprints(findings: Finding[]): void {
  findings.sort(
    (a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn,
  );
  const occurrences = new Map<string, number>();
  for (const finding of findings) {
    const identity = `${finding.ruleId}\u0000${finding.location.path}\u0000${finding.fingerprint}`;
    const n = occurrences.get(identity) ?? 0;
    occurrences.set(identity, n + 1);
    finding.fingerprint = createHash("sha256").update(`${identity}\u0000${n}`).digest("hex").slice(0, 32);
  }
}

function touchesChangedLines(finding: Finding, changed: ReadonlyMap<string, LineRanges>): boolean {
  const onChanged = (path: string, start: number, end: number) => {
    const ranges = changed.get(path);
    return ranges?.some(([from, to]) => start <= to && end >= from) ?? false;
  };
  if (onChanged(finding.location.path, finding.location.startLine, finding.location.endLine)) return true;
  return finding.trace.some((step) =>
    onChanged(step.location.path, step.location.startLine, step.location.endLine),
  );
}
