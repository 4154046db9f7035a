// The repository configuration (`.github/rce-guard.yml`): schema, defaults and validation, shared by the
// CLI and the App so that both read a file the same way. Parsing never throws, on any input: problems come
// back as values (the App parses files written by whoever opens a pull request).
import { parseDocument } from "yaml";
import { type EngineSettings, SEVERITIES, type Severity } from "./engine/index.js";

export interface ModelRowConfig {
  /** API path, e.g. `mycorp.llm.ask()` for the result of calling `mycorp.llm.ask`. */
  api: string;
  kind?: string;
}

export interface RuleConfig {
  enabled: boolean;
  severity?: Severity;
}

export interface Config {
  rules: Record<string, RuleConfig>;
  /** Findings at or above this severity fail the check run / CLI. */
  failOn: Severity | "never";
  /** Glob patterns (relative to the repository root) never analysed. */
  exclude: string[];
  sources: ModelRowConfig[];
  sinks: ModelRowConfig[];
  sanitizers: ModelRowConfig[];
  /** App: inline comments per review at most; the rest are summarised in the review body. */
  maxComments: number;
  /** App: post review comments on draft pull requests too. */
  reviewDrafts: boolean;
  /** App: conclusion of the check run when the analysis itself fails. */
  onError: "neutral" | "fail";
  /**
   * App: conclusion when a changed file could not be (fully) analysed — too large, beyond the file limit,
   * over the time or memory budget — and no finding fails the run already. `fail` (default): such a file
   * never passes as clean.
   */
  onUnanalysed: "fail" | "neutral" | "ignore";
  /** Findings below this severity appear in the check run but get no review comment. */
  commentMinSeverity: Severity;
  /**
   * Report code and import sinks fed by a public function's parameter in a package that calls a model,
   * when no caller could be followed to the model (VNX-LLM-002, confidence low).
   */
  sinkSideFallback: boolean;
}

export const CONFIG_PATH = ".github/rce-guard.yml";

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  rules: {},
  failOn: "high",
  exclude: [],
  sources: [],
  sinks: [],
  sanitizers: [],
  maxComments: 20,
  reviewDrafts: false,
  onError: "neutral",
  onUnanalysed: "fail",
  commentMinSeverity: "medium",
  sinkSideFallback: false,
});

/** What the engine takes from the configuration (the rest is for the front doors and reporters). */
export function engineSettings(config: Readonly<Config>): EngineSettings {
  const { rules, exclude, sources, sinks, sanitizers, sinkSideFallback } = config;
  return { rules, exclude, sources, sinks, sanitizers, sinkSideFallback };
}

export interface ConfigProblem {
  /** Dotted path of the offending key, e.g. `rules.VNX-LLM-002.severity`. */
  path: string;
  message: string;
  line?: number;
}

export interface ParsedConfig {
  config: Config;
  problems: ConfigProblem[];
}

const TOP_LEVEL_KEYS = [
  "rules",
  "fail_on",
  "exclude",
  "sources",
  "sinks",
  "sanitizers",
  "max_comments",
  "review_drafts",
  "on_error",
  "on_unanalysed",
  "comment_min_severity",
  "sink_side_fallback",
] as const;

/** Past this size the text is not parsed at all (a real configuration is a few hundred bytes). */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Aliases may not expand to more nodes than this (YAML alias bombs: 9 levels of 9 aliases). */
const MAX_ALIAS_COUNT = 100;
/** Nesting deeper than this is refused before any of the value is read (the schema needs 3 levels). */
const MAX_DEPTH = 16;
/** Collections longer than this are refused: no setting needs thousands of entries. */
const MAX_ITEMS = 2_000;

export interface ParseConfigOptions {
  /**
   * The rule ids that exist (the callers pass `RULES.map((r) => r.meta.id)`); a setting for any other id is
   * a problem. Without it, ids are only checked for their form.
   */
  knownRules?: readonly string[];
}

/**
 * Parses `text` over `base` (defaults, or an organisation's defaults). Invalid keys are reported and
 * ignored; valid ones still apply, so one typo never disables the whole file. Never throws: a file that
 * cannot be read at all (invalid YAML, too large, too deep, an alias bomb) is one problem, and `base`
 * applies unchanged.
 */
export function parseConfig(
  text: string,
  base: Readonly<Config> = DEFAULT_CONFIG,
  options: ParseConfigOptions = {},
): ParsedConfig {
  const problems: ConfigProblem[] = [];
  try {
    const config = cloneConfig(base);
    readConfig(String(text), config, problems, options);
    return { config, problems };
  } catch (error) {
    // Nothing above should throw; if something does, the file is one problem and the base applies.
    const message = error instanceof Error ? error.message : String(error);
    return {
      config: cloneConfig(base),
      problems: [
        ...problems,
        { path: "", message: `could not be read (${clip(message, 200)}); the file is ignored` },
      ],
    };
  }
}

function readConfig(
  text: string,
  config: Config,
  problems: ConfigProblem[],
  options: ParseConfigOptions,
): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    problems.push({
      path: "",
      message: `the file is ${bytes} bytes, over the limit of ${MAX_CONFIG_BYTES}; the file is ignored`,
    });
    return;
  }
  if (flowDepth(text) > MAX_DEPTH * 4) {
    // The YAML parser recurses per level; checked here, before it runs out of stack.
    problems.push({ path: "", message: "the YAML is nested too deeply to read; the file is ignored" });
    return;
  }
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
  let raw: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: "error" });
    for (const error of doc.errors.slice(0, 20)) {
      const line = lineOf(error.pos[0]);
      const message = /call stack/i.test(error.message)
        ? "nested too deeply to read"
        : clip(error.message.split("\n")[0] ?? "", 200);
      problems.push({ path: "", message: `invalid YAML: ${message}`, ...(line ? { line } : {}) });
    }
    if (doc.errors.length > 0) return;
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push({
      path: "",
      message: /alias/i.test(message)
        ? `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an alias bomb?); the file is ignored`
        : error instanceof RangeError
          ? "the YAML is nested too deeply to read; the file is ignored"
          : `invalid YAML: ${clip(message.split("\n")[0] ?? "", 200)}; the file is ignored`,
    });
    return;
  }
  if (raw === null || raw === undefined) return;
  const shape = shapeProblem(raw);
  if (shape) {
    problems.push({ path: "", message: `${shape}; the file is ignored` });
    return;
  }
  if (!isRecord(raw)) {
    problems.push({ path: "", message: "the configuration must be a mapping of keys to values" });
    return;
  }
  const problem = (path: string, message: string) => problems.push({ path: clip(path, 120), message });

  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      const near = closest(key, TOP_LEVEL_KEYS);
      problem(
        key,
        `unknown key${near ? ` (did you mean ${near}?)` : ""}; expected one of ${TOP_LEVEL_KEYS.join(", ")}`,
      );
    }
  }
  if (has(raw, "rules")) readRules(raw.rules, config, problem, options.knownRules);
  if (has(raw, "fail_on")) {
    const value = raw.fail_on;
    if (value === "never" || isSeverity(value)) config.failOn = value;
    else problem("fail_on", `must be one of ${SEVERITIES.join(", ")}, never; got ${show(value)}`);
  }
  if (has(raw, "exclude")) {
    const list = stringList(raw.exclude);
    if (list) config.exclude = [...config.exclude, ...list];
    else problem("exclude", "must be a list of glob patterns");
  }
  for (const key of ["sources", "sinks", "sanitizers"] as const) {
    if (has(raw, key)) {
      const rows = readModelRows(raw[key], key, problem);
      config[key] = [...config[key], ...rows];
    }
  }
  if (has(raw, "max_comments")) {
    const value = raw.max_comments;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100)
      config.maxComments = value;
    else problem("max_comments", `must be a whole number from 0 to 100; got ${show(value)}`);
  }
  if (has(raw, "review_drafts")) {
    if (typeof raw.review_drafts === "boolean") config.reviewDrafts = raw.review_drafts;
    else problem("review_drafts", `must be true or false; got ${show(raw.review_drafts)}`);
  }
  if (has(raw, "sink_side_fallback")) {
    if (typeof raw.sink_side_fallback === "boolean") config.sinkSideFallback = raw.sink_side_fallback;
    else problem("sink_side_fallback", `must be true or false; got ${show(raw.sink_side_fallback)}`);
  }
  if (has(raw, "on_error")) {
    if (raw.on_error === "neutral" || raw.on_error === "fail") config.onError = raw.on_error;
    else problem("on_error", `must be neutral or fail; got ${show(raw.on_error)}`);
  }
  if (has(raw, "on_unanalysed")) {
    const value = raw.on_unanalysed;
    if (value === "fail" || value === "neutral" || value === "ignore") config.onUnanalysed = value;
    else problem("on_unanalysed", `must be fail, neutral or ignore; got ${show(value)}`);
  }
  if (has(raw, "comment_min_severity")) {
    if (isSeverity(raw.comment_min_severity)) config.commentMinSeverity = raw.comment_min_severity;
    else
      problem(
        "comment_min_severity",
        `must be one of ${SEVERITIES.join(", ")}; got ${show(raw.comment_min_severity)}`,
      );
  }
}

/** The deepest nesting of flow collections (`[`, `{`), counting brackets inside strings too. */
function flowDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return deepest;
}

/** Depth and size of the value, walked without recursion; a description of what is wrong, if anything. */
function shapeProblem(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep`;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (children.length > MAX_ITEMS) return `a list or mapping has more than ${MAX_ITEMS} entries`;
    nodes += children.length;
    if (nodes > 10 * MAX_ITEMS) return `more than ${10 * MAX_ITEMS} values in all`;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

function readRules(
  value: unknown,
  config: Config,
  problem: (path: string, message: string) => void,
  knownRules: readonly string[] | undefined,
): void {
  if (!isRecord(value)) {
    problem("rules", "must be a mapping from rule id to on/off or {enabled, severity}");
    return;
  }
  for (const [id, setting] of Object.entries(value)) {
    const path = `rules.${id}`;
    if (!/^[A-Z]+-[A-Z]+-\d{3}$/.test(id)) {
      problem(path, "not a rule id (expected the form VNX-LLM-002)");
      continue;
    }
    if (knownRules && !knownRules.includes(id)) {
      const near = closest(id, knownRules);
      problem(
        path,
        `unknown rule${near ? ` (did you mean ${near}?)` : ""}; the rules are ${knownRules.join(", ")}`,
      );
      continue;
    }
    const current = config.rules[id] ?? { enabled: true };
    if (typeof setting === "boolean") config.rules[id] = { ...current, enabled: setting };
    else if (setting === "off" || setting === "on")
      config.rules[id] = { ...current, enabled: setting === "on" };
    else if (isRecord(setting)) {
      const next: RuleConfig = { ...current };
      for (const key of Object.keys(setting)) {
        if (key !== "enabled" && key !== "severity")
          problem(`${path}.${key}`, "unknown key; expected enabled or severity");
      }
      if (has(setting, "enabled")) {
        if (typeof setting.enabled === "boolean") next.enabled = setting.enabled;
        else problem(`${path}.enabled`, `must be true or false; got ${show(setting.enabled)}`);
      }
      if (has(setting, "severity")) {
        if (isSeverity(setting.severity)) next.severity = setting.severity;
        else
          problem(
            `${path}.severity`,
            `must be one of ${SEVERITIES.join(", ")}; got ${show(setting.severity)}`,
          );
      }
      config.rules[id] = next;
    } else problem(path, `must be on, off, true, false or {enabled, severity}; got ${show(setting)}`);
  }
}

function readModelRows(
  value: unknown,
  key: string,
  problem: (path: string, message: string) => void,
): ModelRowConfig[] {
  if (!Array.isArray(value)) {
    problem(key, "must be a list of API paths, e.g. - mycorp.llm.ask()");
    return [];
  }
  const rows: ModelRowConfig[] = [];
  value.forEach((item: unknown, index) => {
    const path = `${key}[${index}]`;
    const api = typeof item === "string" ? item : isRecord(item) && has(item, "api") ? item.api : undefined;
    if (typeof api !== "string" || !/^[A-Za-z_][\w.*{},()]*$/.test(api)) {
      problem(path, `must be an API path such as mycorp.llm.ask(); got ${show(item)}`);
      return;
    }
    const kind = isRecord(item) && has(item, "kind") && typeof item.kind === "string" ? item.kind : undefined;
    rows.push(kind ? { api, kind } : { api });
  });
  return rows;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity | "never"): boolean {
  if (threshold === "never") return false;
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

function cloneConfig(config: Readonly<Config>): Config {
  return {
    ...config,
    rules: Object.fromEntries(Object.entries(config.rules).map(([id, rule]) => [id, { ...rule }])),
    exclude: [...config.exclude],
    sources: [...config.sources],
    sinks: [...config.sinks],
    sanitizers: [...config.sanitizers],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
}

function has(record: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** A value as the user wrote it, clipped: a problem message must not carry a megabyte of YAML. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return clip(text, 80);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toUpperCase(), candidate.toUpperCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
