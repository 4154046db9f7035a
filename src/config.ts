// The repository configuration (`.github/rce-guard.yml`): schema, defaults and validation, shared by the
// CLI and the App so that both read a file the same way. Parsing never throws: problems come back as values.
import { parseDocument } from "yaml";
import { SEVERITIES, type Severity } from "./engine/types.js";

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
  /** Findings below this severity appear in the check run but get no review comment. */
  commentMinSeverity: Severity;
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
  commentMinSeverity: "medium",
});

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
  "comment_min_severity",
] as const;

/**
 * Parses `text` over `base` (defaults, or an organisation's defaults). Invalid keys are reported and
 * ignored; valid ones still apply, so one typo never disables the whole file.
 */
export function parseConfig(text: string, base: Readonly<Config> = DEFAULT_CONFIG): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const config: Config = cloneConfig(base);
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
  for (const error of doc.errors) {
    const line = lineOf(error.pos[0]);
    problems.push({ path: "", message: `invalid YAML: ${error.message.split("\n")[0]}`, ...(line ? { line } : {}) });
  }
  if (doc.errors.length > 0) return { config, problems };
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) return { config, problems };
  if (!isRecord(raw)) {
    problems.push({ path: "", message: "the configuration must be a mapping of keys to values" });
    return { config, problems };
  }
  const problem = (path: string, message: string) => problems.push({ path, message });

  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      problem(key, `unknown key; expected one of ${TOP_LEVEL_KEYS.join(", ")}`);
    }
  }
  if ("rules" in raw) readRules(raw.rules, config, problem);
  if ("fail_on" in raw) {
    const value = raw.fail_on;
    if (value === "never" || isSeverity(value)) config.failOn = value;
    else problem("fail_on", `must be one of ${SEVERITIES.join(", ")}, never; got ${show(value)}`);
  }
  if ("exclude" in raw) {
    const list = stringList(raw.exclude);
    if (list) config.exclude = [...config.exclude, ...list];
    else problem("exclude", "must be a list of glob patterns");
  }
  for (const key of ["sources", "sinks", "sanitizers"] as const) {
    if (key in raw) {
      const rows = readModelRows(raw[key], key, problem);
      config[key] = [...config[key], ...rows];
    }
  }
  if ("max_comments" in raw) {
    const value = raw.max_comments;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100)
      config.maxComments = value;
    else problem("max_comments", `must be a whole number from 0 to 100; got ${show(value)}`);
  }
  if ("review_drafts" in raw) {
    if (typeof raw.review_drafts === "boolean") config.reviewDrafts = raw.review_drafts;
    else problem("review_drafts", `must be true or false; got ${show(raw.review_drafts)}`);
  }
  if ("on_error" in raw) {
    if (raw.on_error === "neutral" || raw.on_error === "fail") config.onError = raw.on_error;
    else problem("on_error", `must be neutral or fail; got ${show(raw.on_error)}`);
  }
  if ("comment_min_severity" in raw) {
    if (isSeverity(raw.comment_min_severity)) config.commentMinSeverity = raw.comment_min_severity;
    else problem("comment_min_severity", `must be one of ${SEVERITIES.join(", ")}; got ${show(raw.comment_min_severity)}`);
  }
  return { config, problems };
}

function readRules(value: unknown, config: Config, problem: (path: string, message: string) => void): void {
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
    const current = config.rules[id] ?? { enabled: true };
    if (typeof setting === "boolean") config.rules[id] = { ...current, enabled: setting };
    else if (setting === "off" || setting === "on") config.rules[id] = { ...current, enabled: setting === "on" };
    else if (isRecord(setting)) {
      const next: RuleConfig = { ...current };
      for (const key of Object.keys(setting)) {
        if (key !== "enabled" && key !== "severity") problem(`${path}.${key}`, "unknown key; expected enabled or severity");
      }
      if ("enabled" in setting) {
        if (typeof setting.enabled === "boolean") next.enabled = setting.enabled;
        else problem(`${path}.enabled`, `must be true or false; got ${show(setting.enabled)}`);
      }
      if ("severity" in setting) {
        if (isSeverity(setting.severity)) next.severity = setting.severity;
        else problem(`${path}.severity`, `must be one of ${SEVERITIES.join(", ")}; got ${show(setting.severity)}`);
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
    const api = typeof item === "string" ? item : isRecord(item) ? item.api : undefined;
    if (typeof api !== "string" || !/^[A-Za-z_][\w.*{},()]*$/.test(api)) {
      problem(path, `must be an API path such as mycorp.llm.ask(); got ${show(item)}`);
      return;
    }
    const kind = isRecord(item) && typeof item.kind === "string" ? item.kind : undefined;
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

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
