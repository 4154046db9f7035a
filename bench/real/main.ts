// `npm run bench:real`: recall and noise on real vulnerable code. Takes a case list (sink lines named by
// advisories, each at a commit where the line exists), reads each case's repository at that commit from a
// local mirror folder (or clones it, with --clone), runs the engine in-process as the CLI does, and prints
// per-class recall, results per class, lines scanned and time per repository. See bench/README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAnalysisAsync } from "../../src/run-analysis.js";
import { type Config, DEFAULT_CONFIG, parseConfig } from "../../src/config.js";
import type { Finding } from "../../src/engine/index.js";
import { cloneMirror, hasCommit, mirrorPath, readSnapshot } from "./snapshot.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const USAGE = `npm run bench:real -- [CASES.json] [options]

  CASES.json        case list (default: ../shared/real-cves/cases.json, relative to the project root)
  --mirrors DIR     bare mirrors at DIR/OWNER+NAME/repo (default: $MIRRORS, else ../.mirror from the project root)
  --clone           clone a repository missing from DIR (needs the network)
  --only ID,...     only these cases
  --class NAME      only cases of this class (llm-exec, deserialization)
  --slack N         a result within N lines of the sink line counts (default 2)
  --config FILE     a configuration file for the analysis (.github/rce-guard.yml format)
  --json FILE       also write the results as JSON
`;

/** Which case classes a rule's results count for (as the case runner counts them). */
const CLASS_OF_RULE: [prefix: string, classes: string[]][] = [
  ["VNX-LLM-002", ["llm-exec", "deserialization"]],
  ["VNX-LLM-005", ["llm-exec"]],
  ["VNX-DESER-", ["deserialization"]],
  ["VNX-LLM-007", ["deserialization"]],
];

interface Case {
  id: string;
  repo: string;
  commit: string;
  path: string;
  line: number;
  class: string;
  flow_depth?: string;
}

interface Options {
  cases: string;
  mirrors: string;
  clone: boolean;
  only?: Set<string>;
  cls?: string;
  slack: number;
  config: Config;
  json?: string;
}

function classesOf(ruleId: string): string[] {
  return CLASS_OF_RULE.filter(([prefix]) => ruleId.startsWith(prefix)).flatMap(([, classes]) => classes);
}

function fromProject(path: string): string {
  return isAbsolute(path) ? path : resolve(PROJECT, path);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    cases: fromProject("../shared/real-cves/cases.json"),
    mirrors: process.env.MIRRORS ? resolve(process.env.MIRRORS) : fromProject("../.mirror"),
    clone: false,
    slack: 2,
    config: DEFAULT_CONFIG,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n\n${USAGE}`);
      return next;
    };
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === "--mirrors") options.mirrors = resolve(value());
    else if (arg === "--clone") options.clone = true;
    else if (arg === "--only") options.only = new Set(value().split(","));
    else if (arg === "--class") options.cls = value();
    else if (arg === "--slack") options.slack = Number(value());
    else if (arg === "--json") options.json = resolve(value());
    else if (arg === "--config") {
      const file = value();
      const { config, problems } = parseConfig(readFileSync(file, "utf8"));
      if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join("; ")}`);
      options.config = config;
    } else if (!arg.startsWith("--")) options.cases = resolve(arg);
    else throw new Error(`unknown option ${arg}\n\n${USAGE}`);
  }
  return options;
}

interface RepoRun {
  repo: string;
  commit: string;
  files: number;
  lines: number;
  seconds: number;
  results: Record<string, number>;
  /** Each result of a case class: rule, file, line, severity/confidence. */
  findings: string[];
  skipped?: string;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const all = JSON.parse(readFileSync(options.cases, "utf8")) as Case[];
  const cases = all.filter(
    (c) => (!options.only || options.only.has(c.id)) && (!options.cls || c.class === options.cls),
  );
  const groups = new Map<string, Case[]>();
  for (const c of cases)
    groups.set(`${c.repo}@${c.commit}`, [...(groups.get(`${c.repo}@${c.commit}`) ?? []), c]);

  const hits: { c: Case; rule: string }[] = [];
  const misses: { c: Case; why: string }[] = [];
  const skipped: Case[] = [];
  const runs: RepoRun[] = [];
  const resultsByClass: Record<string, number> = {};
  const started = performance.now();
  for (const group of groups.values()) {
    const { repo, commit } = group[0]!;
    const mirror = mirrorPath(options.mirrors, repo);
    if (!hasCommit(mirror, commit) && options.clone) cloneMirror(mirror, repo);
    if (!hasCommit(mirror, commit)) {
      skipped.push(...group);
      runs.push({
        repo,
        commit,
        files: 0,
        lines: 0,
        seconds: 0,
        results: {},
        findings: [],
        skipped: "no mirror",
      });
      continue;
    }
    const { files, missing } = readSnapshot(mirror, commit);
    const lines = files
      .filter((f) => f.path.endsWith(".py"))
      .reduce((n, f) => n + (f.text.match(/\n/g)?.length ?? 0), 0);
    const t0 = performance.now();
    const result = await runAnalysisAsync(files, {
      config: options.config,
      maxFileBytes: 8 * 1024 * 1024,
    });
    const seconds = (performance.now() - t0) / 1000;
    const results: Record<string, number> = {};
    const findings: string[] = [];
    for (const finding of result.findings) {
      const { path, startLine } = finding.location;
      if (classesOf(finding.ruleId).length > 0)
        findings.push(`${finding.ruleId} ${path}:${startLine} ${finding.severity}/${finding.confidence}`);
      for (const cls of classesOf(finding.ruleId)) {
        results[cls] = (results[cls] ?? 0) + 1;
        resultsByClass[cls] = (resultsByClass[cls] ?? 0) + 1;
      }
    }
    runs.push({ repo, commit, files: files.length, lines, seconds, results, findings });
    if (missing > 0)
      process.stderr.write(`${repo}@${commit.slice(0, 8)}: ${missing} blobs missing from the mirror\n`);
    for (const c of group) {
      const found = result.findings.find((f) => onSink(f, c, options.slack));
      if (found) hits.push({ c, rule: found.ruleId });
      else misses.push({ c, why: nearest(result.findings, c) });
    }
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const report = { hits, misses, skipped, runs, resultsByClass, totalSeconds };
  print(report);
  if (options.json) {
    const json = {
      cases: options.cases,
      recall: Object.fromEntries(classes(cases).map((cls) => [cls, recallOf(report, cls)])),
      resultsByClass,
      found: hits.map(({ c, rule }) => ({ id: c.id, rule })),
      missed: misses.map(({ c }) => c.id),
      skipped: skipped.map((c) => c.id),
      repositories: runs,
      seconds: totalSeconds,
    };
    writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
  }
}

function onSink(finding: Finding, c: Case, slack: number): boolean {
  const { path, startLine, endLine } = finding.location;
  return (
    path === c.path &&
    classesOf(finding.ruleId).includes(c.class) &&
    startLine - slack <= c.line &&
    c.line <= endLine + slack
  );
}

/** For a miss: the closest result in the same file, if any, so a reader sees whether it is near. */
function nearest(findings: readonly Finding[], c: Case): string {
  const same = findings.filter((f) => f.location.path === c.path);
  if (same.length === 0) return "no result in the file";
  const best = same.sort(
    (a, b) => Math.abs(a.location.startLine - c.line) - Math.abs(b.location.startLine - c.line),
  )[0]!;
  return `nearest result in the file: ${best.ruleId} at line ${best.location.startLine}`;
}

function classes(cases: readonly Case[]): string[] {
  return [...new Set(cases.map((c) => c.class))].sort();
}

type Report = {
  hits: { c: Case; rule: string }[];
  misses: { c: Case; why: string }[];
  skipped: Case[];
  runs: RepoRun[];
  resultsByClass: Record<string, number>;
  totalSeconds: number;
};

function recallOf(report: Report, cls: string): { found: number; of: number } {
  const found = report.hits.filter((h) => h.c.class === cls).length;
  return { found, of: found + report.misses.filter((m) => m.c.class === cls).length };
}

function print(report: Report): void {
  const out: string[] = [];
  const lines = report.runs.reduce((n, r) => n + r.lines, 0);
  out.push("repository                                   commit    files    lines   seconds  results");
  for (const run of report.runs) {
    const results = Object.entries(run.results)
      .map(([cls, n]) => `${cls} ${n}`)
      .join(", ");
    out.push(
      `${run.repo.padEnd(44)} ${run.commit.slice(0, 8)} ${String(run.files).padStart(6)} ${String(run.lines).padStart(8)} ${run.seconds.toFixed(1).padStart(9)}  ${run.skipped ?? results}`,
    );
  }
  out.push("");
  const all = [...report.hits.map((h) => h.c), ...report.misses.map((m) => m.c)];
  for (const cls of classes(all)) {
    const { found, of } = recallOf(report, cls);
    out.push(
      `${cls}: ${found}/${of} found; ${report.resultsByClass[cls] ?? 0} results of this class in ${lines} lines`,
    );
  }
  for (const { c, why } of report.misses)
    out.push(`  MISS ${c.id} ${c.path}:${c.line} (${c.flow_depth ?? "?"}) ${why}`);
  if (report.skipped.length > 0)
    out.push(`skipped (no snapshot here): ${report.skipped.map((c) => c.id).join(", ")}`);
  const analysed = report.runs.reduce((s, r) => s + r.seconds, 0);
  out.push(
    `analysis ${analysed.toFixed(1)} s for ${lines} lines; ${report.totalSeconds.toFixed(1)} s in all`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
