// Command-line parsing. Hand-written rather than node:util parseArgs so every mistake gets a one-line
// message that names the offending argument and points at --help.
import { isSeverity } from "../config.js";
import { DEFAULT_MAX_FILE_BYTES, SEVERITIES, type Severity } from "../engine/index.js";

export const REPORT_FORMATS = ["text", "json", "sarif", "github"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const DEFAULT_MAX_FILE_SIZE = DEFAULT_MAX_FILE_BYTES;
/** One file's analysis; past it the file is cut off and named as partly analysed. */
export const DEFAULT_FILE_BUDGET_SECONDS = 30;

export interface ScanOptions {
  paths: string[];
  diffBase?: string;
  format: ReportFormat;
  output?: string;
  failOn?: Severity | "never";
  config?: string;
  root?: string;
  maxFileSize: number;
  /** Seconds one file's analysis may take (undefined: no limit). */
  fileBudgetSeconds?: number;
  /** Seconds the whole analysis may take (undefined: no limit). */
  totalBudgetSeconds?: number;
  /** Files not (fully) analysed are still listed, but do not make the exit status 3. */
  allowIncomplete: boolean;
  /** Threads that parse ahead of the analysis; undefined: one per extra core, past 1 MiB of Python. */
  threads?: number;
  color: boolean;
  quiet: boolean;
  /** --exclude patterns, added to the config's `exclude` (same matcher). */
  exclude?: string[];
  /** --no-ignore: also scan what .gitignore files ignore. */
  noIgnore?: boolean;
}

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "scan"; options: ScanOptions }
  | { kind: "rules"; format: "text" | "json" }
  | { kind: "explain"; ruleId: string };

/** A mistake in how the CLI was called or in what it was pointed at; exits with status 2. */
export class CliError extends Error {
  constructor(
    message: string,
    /** Further lines printed after the message, e.g. each problem of an invalid config file. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const USAGE = `Usage: rce-guard scan [options] [PATHS...]
       rce-guard rules [--format text|json]   list the rules: id, name, default severity, CWE
       rce-guard explain RULE-ID              show a rule's documentation

Finds LLM output that reaches code or shell execution, and insecure deserialization, in Python code.
PATHS are files or directories to scan (default: the current directory).

Options:
  --diff BASE           report only findings on lines added or changed since the merge base with
                        BASE (a branch, tag or commit); whole files are still analysed for context
  -f, --format FORMAT   text (default), json, sarif, or github (GitHub Actions annotations)
  -o, --output FILE     write the report to FILE instead of standard output
  --fail-on SEVERITY    exit 1 when a finding is at or above SEVERITY: one of
                        ${SEVERITIES.join(", ")}, never (default: fail_on from the config, else high)
  --config FILE         configuration file (default: .github/rce-guard.yml under the root, if present)
  --exclude GLOB        do not analyse files matching GLOB (repeatable; added to the config's exclude)
  --no-ignore           also scan files that .gitignore files ignore (default: respect them)
  --root DIR            directory that reported paths are relative to (default: the enclosing git
                        repository, else the current directory)
  --max-file-size SIZE  do not analyse files larger than SIZE bytes (they are listed as not
                        analysed); k and m suffixes allowed (default: 1m). The only size limit
  --file-budget SECONDS stop analysing a file after SECONDS and list it as partly analysed
                        (default: ${DEFAULT_FILE_BUDGET_SECONDS}; none for no limit)
  --total-budget SECONDS  stop the whole analysis after SECONDS; files not reached are listed as
                        not analysed (default: none)
  --allow-incomplete    files that could not be fully analysed are still listed, but do not change
                        the exit status
  --threads N           threads that parse files while the main thread analyses; 0 for none
                        (default: one per core beyond the first, at most 3, for scans over 1 MiB)
  --no-color            no colour in the text report (also when NO_COLOR is set or stdout is not a terminal)
  -q, --quiet           no progress bar, notes or summary: findings and errors only
  -h, --help            show this help
  -V, --version         show the version

Exit status:
  0  no finding at or above the threshold, and every file was fully analysed
  1  a finding at or above the threshold
  2  a usage or runtime error (including a path named on the command line that cannot be read)
  3  no finding at or above the threshold, but some file was not fully analysed (too large,
     unreadable, binary, over the time budget, too deeply nested, an internal error): the report
     names each one and why. --allow-incomplete turns this into 0
`;

const VALUE_OPTIONS: Record<string, keyof ScanOptions> = {
  "--diff": "diffBase",
  "--format": "format",
  "-f": "format",
  "--output": "output",
  "-o": "output",
  "--fail-on": "failOn",
  "--config": "config",
  "--root": "root",
  "--max-file-size": "maxFileSize",
  "--threads": "threads",
  "--file-budget": "fileBudgetSeconds",
  "--total-budget": "totalBudgetSeconds",
  "--exclude": "exclude",
};

export function parseArgs(argv: readonly string[]): Command {
  if (argv.some((arg) => arg === "--help" || arg === "-h") && !argv.includes("--")) return { kind: "help" };
  if (argv.some((arg) => arg === "--version" || arg === "-V")) return { kind: "version" };
  const [command, ...rest] = argv;
  if (command === undefined) throw new CliError("missing command; expected `rce-guard scan [PATHS...]`");
  if (command === "help") return { kind: "help" };
  if (command === "rules") return parseRulesArgs(rest);
  if (command === "explain") {
    if (rest.length !== 1 || rest[0]!.startsWith("-")) {
      throw new CliError(
        "`rce-guard explain` needs exactly one rule id, e.g. `rce-guard explain VNX-LLM-002`",
      );
    }
    return { kind: "explain", ruleId: rest[0]! };
  }
  if (command !== "scan") {
    throw new CliError(`unknown command '${command}'; the commands are scan, rules and explain`);
  }

  const options: ScanOptions = {
    paths: [],
    format: "text",
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    fileBudgetSeconds: DEFAULT_FILE_BUDGET_SECONDS,
    allowIncomplete: false,
    color: true,
    quiet: false,
  };
  let onlyPositionals = false;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    if (onlyPositionals || !arg.startsWith("-") || arg === "-") {
      options.paths.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyPositionals = true;
      continue;
    }
    if (arg === "--no-color") {
      options.color = false;
      continue;
    }
    if (arg === "--allow-incomplete") {
      options.allowIncomplete = true;
      continue;
    }
    if (arg === "--quiet" || arg === "-q") {
      options.quiet = true;
      continue;
    }
    if (arg === "--no-ignore") {
      options.noIgnore = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const name = arg.startsWith("--") && equals > 0 ? arg.slice(0, equals) : arg;
    const key = VALUE_OPTIONS[name];
    if (!key) throw new CliError(`unknown option '${name}'`);
    let value: string | undefined;
    if (name !== arg) value = arg.slice(equals + 1);
    else {
      value = rest[index + 1];
      if (value === undefined || (value.startsWith("-") && value !== "-")) {
        throw new CliError(`option '${name}' needs a value`);
      }
      index++;
    }
    applyOption(options, name, key, value);
  }
  if (options.paths.length === 0) options.paths.push(".");
  return { kind: "scan", options };
}

function applyOption(options: ScanOptions, name: string, key: keyof ScanOptions, value: string): void {
  if (value === "") throw new CliError(`option '${name}' needs a non-empty value`);
  switch (key) {
    case "format":
      if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
        throw new CliError(`invalid ${name} '${value}'; expected one of ${REPORT_FORMATS.join(", ")}`);
      }
      options.format = value as ReportFormat;
      return;
    case "failOn":
      if (value !== "never" && !isSeverity(value)) {
        throw new CliError(`invalid --fail-on '${value}'; expected one of ${SEVERITIES.join(", ")}, never`);
      }
      options.failOn = value;
      return;
    case "maxFileSize":
      options.maxFileSize = parseSize(value);
      return;
    case "fileBudgetSeconds":
    case "totalBudgetSeconds": {
      const seconds = parseSeconds(name, value);
      if (seconds === undefined) delete options[key];
      else options[key] = seconds;
      return;
    }
    case "threads":
      if (!/^\d+$/.test(value) || Number(value) > 64) {
        throw new CliError(`invalid --threads '${value}'; expected a whole number from 0 to 64`);
      }
      options.threads = Number(value);
      return;
    case "exclude":
      options.exclude = [...(options.exclude ?? []), value];
      return;
    case "diffBase":
    case "output":
    case "config":
    case "root":
      options[key] = value;
      return;
    default:
      throw new CliError(`unknown option '${name}'`);
  }
}

function parseRulesArgs(rest: readonly string[]): Command {
  let format: "text" | "json" = "text";
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    const [name, inline] = arg.startsWith("--format=") ? ["--format", arg.slice(9)] : [arg, undefined];
    if (name !== "--format" && name !== "-f")
      throw new CliError(`unknown option '${arg}' for rce-guard rules`);
    const value = inline ?? rest[++index];
    if (value !== "text" && value !== "json") {
      throw new CliError(`invalid ${name} '${value ?? ""}' for rce-guard rules; expected text or json`);
    }
    format = value;
  }
  return { kind: "rules", format };
}

export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([km]i?b?)?$/i.exec(text.trim());
  if (!match)
    throw new CliError(`invalid --max-file-size '${text}'; expected bytes, or a number with k or m`);
  const unit = (match[2] ?? "").toLowerCase()[0];
  const factor = unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1;
  return Math.floor(Number(match[1]) * factor);
}

/** A positive number of seconds, or `none` (undefined: no limit). */
export function parseSeconds(name: string, text: string): number | undefined {
  if (text === "none") return undefined;
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0))
    throw new CliError(`invalid ${name} '${text}'; expected a number of seconds above 0, or none`);
  return seconds;
}
