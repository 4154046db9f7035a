// Sink-side fallback: a code or import sink fed by a parameter of a public function, in a package that
// calls a language model somewhere, is reported as possibly carrying model output even when no caller
// could be followed to a model call.
//
// Why: in real applications the way from the model to the sink often passes where the analysis cannot
// follow (a pipeline of step objects, a callable handed in, a generated workflow, a process boundary), and
// the function that executes its argument is the one a reviewer must look at. The finding says how it was
// reached (the trace's first step ends with ASSUMED_PASS_ON, so its confidence is at most medium) and is
// graded below a followed flow (see VNX-LLM-002). Off unless the settings turn it on; bench/real measures
// its precision.
import { readCode } from "./clues.js";
import type { CompiledModels } from "./models.js";
import type { PythonModule } from "./modules.js";
import { ASSUMED_PASS_ON, type SinkHit } from "./rule.js";
import type { Location } from "./types.js";
import type { Taint } from "./values.js";

/**
 * By sink location: how many calls of the function holding it passed the parameter data with an origin (a
 * model, the network, the caller's own parameter) and how many passed data with none the analysis saw.
 */
export type SinkCalls = Map<string, { tainted: number; clean: number }>;

export function noteSinkCall(calls: SinkCalls, at: Location, tainted: boolean, callerPath: string): void {
  // A test calls with data it chose: no evidence of what the application passes.
  if (TEST_PATH.test(callerPath)) return;
  const key = `${at.path}:${at.startLine}:${at.startColumn}`;
  const seen = calls.get(key) ?? { tainted: 0, clean: 0 };
  if (tainted) seen.tainted++;
  else seen.clean++;
  calls.set(key, seen);
}

/**
 * A function every caller in the scanned code calls with data of no origin (configuration read from a
 * database, a literal) is not a way in for the model: the fallback is for sinks whose callers could not be
 * followed (a pipeline of steps, a callable handed in, a process boundary) or pass their own parameters on.
 */
function onlyCleanCalls(calls: SinkCalls, at: Location): boolean {
  const seen = calls.get(`${at.path}:${at.startLine}:${at.startColumn}`);
  return seen !== undefined && seen.clean > 0 && seen.tainted === 0;
}

/** Ends the first step's note of a fallback taint: how VNX-LLM-002 tells it from a followed flow. */
export const SINK_SIDE_FALLBACK = "reached by a parameter in a package that calls a model";

/** Test code executes what the test chose. */
const TEST_PATH = /(?:^|\/)(?:tests?|testing)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/;

/**
 * The folder of a module's top-level package: its highest ancestor folder with an `__init__.py` (folders
 * below it may be namespace packages without one), else the module's own folder (a folder of scripts).
 */
function packageRootOf(path: string, initFolders: ReadonlySet<string>): string {
  const parts = path.replace(/\\/g, "/").split("/").slice(0, -1);
  for (let n = 1; n <= parts.length; n++) {
    const folder = parts.slice(0, n).join("/");
    if (initFolders.has(folder)) return folder;
  }
  return parts.join("/");
}

/** Folders holding an `__init__.py`. */
function packageFolders(modules: readonly PythonModule[]): Set<string> {
  const out = new Set<string>();
  for (const mod of modules) {
    const path = mod.path.replace(/\\/g, "/");
    if (/(?:^|\/)__init__\.pyi?$/.test(path)) out.add(path.slice(0, path.lastIndexOf("/") + 1).slice(0, -1));
  }
  return out;
}

/**
 * Hits a parameter of a public function reached (kind `parameter`), at code and import sinks in packages
 * where some module calls a model SDK, names a model endpoint or calls a model wrapper, as LLM hits of
 * lower confidence. Each one copies the parameter hit, so the deserialization rules still see the original.
 */
export function sinkSideFallbackHits(
  hits: readonly SinkHit[],
  modules: readonly PythonModule[],
  models: CompiledModels,
  calls: SinkCalls,
): SinkHit[] {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const candidates = hits.filter(
    (hit) =>
      // The module itself can carry model output: it calls a model or imports a module that does.
      byPath.get(hit.location.path)?.carrier === true &&
      // A test's parameters are what the test chooses.
      !hit.taints.some((t) => t.kind === "parameter" && TEST_PATH.test(t.steps[0]?.location.path ?? "")) &&
      // A module name picks among installed code (a plugin loader); a file path runs what the file holds.
      (hit.sink.category === "code" ||
        (hit.sink.category === "import" && "runsFile" in hit.sink && hit.sink.runsFile === true)) &&
      !("method" in hit.sink) &&
      !hit.constantInput &&
      !TEST_PATH.test(hit.location.path) &&
      !onlyCleanCalls(calls, hit.location) &&
      hit.taints.some((t) => t.kind === "parameter") &&
      !hit.taints.some((t) => t.kind === "llm"),
  );
  if (candidates.length === 0) return [];
  const folders = packageFolders(modules);
  const rootOf = (path: string) => packageRootOf(path, folders);
  const callsModel = packagesCallingModels(
    modules,
    models,
    new Set(candidates.map((h) => rootOf(h.location.path))),
    rootOf,
  );
  const out: SinkHit[] = [];
  for (const hit of candidates) {
    const root = rootOf(hit.location.path);
    const caller = callsModel.get(root);
    if (!caller) continue;
    const param = hit.taints.find((t) => t.kind === "parameter")!;
    const where = root === "" ? "this project" : `package \`${root}\``;
    const origin = `${param.origin} (${where} calls a model in ${caller})`;
    const note = `${origin}: ${SINK_SIDE_FALLBACK} ${ASSUMED_PASS_ON}`;
    const [first, ...rest] = param.steps;
    const taint: Taint = {
      kind: "llm",
      origin,
      steps: first ? [{ ...first, note }, ...rest] : [{ location: hit.location, note }],
    };
    out.push({ ...hit, taints: [taint] });
  }
  return out;
}

/** For each package root asked about, the first module in it that calls a model, if any. */
function packagesCallingModels(
  modules: readonly PythonModule[],
  models: CompiledModels,
  roots: ReadonlySet<string>,
  rootOf: (path: string) => string,
): Map<string, string> {
  const found = new Map<string, string>();
  for (const mod of modules) {
    const root = rootOf(mod.path);
    if (!roots.has(root) || found.has(root) || TEST_PATH.test(mod.path)) continue;
    if (models.llmEndpoints.test(mod.text)) {
      found.set(root, mod.path);
      continue;
    }
    const view = readCode(mod.text);
    if (
      models.sourceClues.matches(view) ||
      models.toolClues.matches(view) ||
      models.wrapperCalls.text.test(view.code)
    )
      found.set(root, mod.path);
  }
  return found;
}
