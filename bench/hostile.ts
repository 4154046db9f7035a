// Worst cases a pull request can choose (issue: hostile pull requests): each pattern at growing sizes, its
// CPU time beside tree-sitter's own parse of the same text in the same process, the interpreter's steps,
// peak memory, and how the file ended (findings, or named as not analysed). Growth is the point: the
// exponent between the two largest sizes says linear (≈1), quadratic (≈2) or worse.
//
//   npm run bench:hostile              # every pattern
//   npm run bench:hostile -- --json    # machine-readable
//   npm run bench:hostile -- --only nestedFor,helperChain
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runAnalysis } from "../src/run-analysis.js";
import { incompleteFiles, parsePython } from "../src/engine/index.js";
import { hostile } from "../test/support/hostile-python.js";

type Pattern = keyof typeof hostile;

/** Sizes from the issue's report (the last of each is the size it measured, or past it). */
const SIZES: Record<Pattern, number[]> = {
  nestedFor: [10, 15, 20, 30],
  nestedWhile: [10, 15, 20, 30],
  nestedIf: [25, 50, 98],
  nestedIfElse: [100, 515],
  nestedParens: [100, 200, 2000, 5000],
  nestedCalls: [100, 200, 800],
  variablesThenIfs: [1000, 2000, 4000, 8000],
  assignmentChain: [12_500, 25_000, 50_000, 100_000],
  bigFunction: [25_000, 50_000, 100_000],
  helperChain: [25, 50, 100, 150],
  nestedClosures: [10, 20, 30],
  nestedLambdas: [10, 20, 28, 30],
  importWords: [22_500, 45_000, 90_000],
  unclosedClasses: [25_000, 50_000, 100_000],
  functions: [2_500, 5_000, 10_000],
  commentRun: [6_400, 25_600, 102_400],
  hugeLiteral: [1 << 20, 4 << 20, 8 << 20],
};

interface Measurement {
  pattern: Pattern;
  size: number;
  bytes: number;
  parseMs: number;
  analysisMs: number;
  steps: number;
  peakRssMb: number;
  findings: number;
  incomplete: string[];
  crashed?: string;
}

const BUDGET_MS = 60_000;

/** One case, in this process (the parent runs each in its own child, so peak RSS is the case's own). */
function measureOne(pattern: Pattern, size: number): Measurement {
  const text = hostile[pattern](size);
  // Models are compiled and the parser loaded on first use: not part of any case.
  runAnalysis([{ path: "warm.py", text: hostile.nestedFor(2) }]);
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let start = cpu();
  parsePython(text);
  const parseMs = cpu() - start;
  start = cpu();
  const result = runAnalysis([{ path: `${pattern}.py`, text }], {
    maxFileBytes: 64 << 20,
    budget: { clock: () => performance.now(), fileMs: BUDGET_MS, totalMs: BUDGET_MS },
  });
  const analysisMs = cpu() - start;
  return {
    pattern,
    size,
    bytes: Buffer.byteLength(text),
    parseMs,
    analysisMs,
    steps: result.stats.steps,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    findings: result.findings.length,
    incomplete: incompleteFiles(result).map((f) => f.reason),
  };
}

function runChild(pattern: Pattern, size: number): Measurement {
  try {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--case", pattern, String(size)],
      {
        encoding: "utf8",
        timeout: BUDGET_MS * 3,
        maxBuffer: 16 << 20,
      },
    );
    return JSON.parse(out.trim().split("\n").at(-1)!) as Measurement;
  } catch (error) {
    const e = error as { status?: number; signal?: string; message: string };
    return {
      pattern,
      size,
      bytes: 0,
      parseMs: 0,
      analysisMs: 0,
      steps: 0,
      peakRssMb: 0,
      findings: 0,
      incomplete: [],
      crashed: e.signal ?? `exit ${e.status}`,
    };
  }
}

/** log(t2/t1) / log(n2/n1): the growth exponent between two sizes. */
function exponent(a: Measurement, b: Measurement, of: (m: Measurement) => number): number | undefined {
  const x = of(a);
  const y = of(b);
  if (x <= 0 || y <= 0 || a.size === b.size) return undefined;
  return Math.log(y / x) / Math.log(b.size / a.size);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === "--case") {
    console.log(JSON.stringify(measureOne(args[1] as Pattern, Number(args[2]))));
    return;
  }
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]!.split(",") : undefined;
  const json = args.includes("--json");
  const all: Measurement[] = [];
  for (const pattern of Object.keys(SIZES) as Pattern[]) {
    if (only && !only.includes(pattern)) continue;
    const rows = SIZES[pattern].map((size) => runChild(pattern, size));
    all.push(...rows);
    if (json) continue;
    const last = rows.at(-1)!;
    const previous = rows.at(-2);
    const growth = previous ? exponent(previous, last, (m) => Math.max(m.steps, 1)) : undefined;
    console.log(
      `\n${pattern}  (growth exponent of steps between the two largest sizes: ${growth?.toFixed(2) ?? "n/a"})`,
    );
    console.log("      size      bytes  parse ms  analysis ms  ratio     steps  peak MB  findings  outcome");
    for (const m of rows) {
      const outcome = m.crashed
        ? `CRASHED (${m.crashed})`
        : m.incomplete.length > 0
          ? `named: ${m.incomplete[0]}`
          : "analysed";
      const ratio = m.parseMs > 0 ? (m.analysisMs / m.parseMs).toFixed(1) : "-";
      console.log(
        `${String(m.size).padStart(10)} ${String(m.bytes).padStart(10)} ${m.parseMs.toFixed(0).padStart(9)} ${m.analysisMs.toFixed(0).padStart(12)} ${ratio.padStart(6)} ${String(m.steps).padStart(9)} ${m.peakRssMb.toFixed(0).padStart(8)} ${String(m.findings).padStart(9)}  ${outcome}`,
      );
    }
  }
  if (json) console.log(JSON.stringify(all, null, 2));
  const crashed = all.filter((m) => m.crashed);
  if (crashed.length > 0) {
    console.error(
      `${crashed.length} case(s) crashed: ${crashed.map((m) => `${m.pattern}(${m.size})`).join(", ")}`,
    );
    process.exitCode = 1;
  }
}

main();
