// `npm run bench`: the engine over a large real Python corpus — the standard library of the `python3` on
// PATH — against tree-sitter alone (the floor) and Bandit (when installed). See bench/README.md.
//
// Every measurement runs in its own child process (same Node flags, same loader), so each phase's peak
// RSS is its own and no phase warms or fragments the heap of the next. The workers phase runs the engine
// in node:worker_threads, which load TypeScript through tsx's register API.
//
// This file is the entry (arguments, orchestration, the child-process runner); each child re-executes it
// with `--phase NAME`. The phases are in phases.ts and workers.ts (whose module is the workers' entry),
// the corpus in corpus.ts, the printed report in report.ts.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { loadCorpus, run } from "./corpus.js";
import type { PhaseResult } from "./measure.js";
import { type Options, type Phase, parseArgs } from "./options.js";
import { phaseAll, phaseBandit, phaseChunks, phaseCopy, phaseParse } from "./phases.js";
import { printReport, threadsDiffer } from "./report.js";
import { phaseWorkers } from "./workers.js";

const PHASE_MARK = "@@bench-phase-result@@";

async function runPhaseInChild(phase: Phase, argv: string[]): Promise<PhaseResult> {
  if (phase === "bandit") {
    // Bandit is an external process already: run it from here.
    return runPhase(phase, parseArgs(argv));
  }
  const script = fileURLToPath(import.meta.url);
  // One-thread phases run with V8's own helper threads (garbage collection, JIT compilation) off too, so
  // their CPU time is what one core would spend; otherwise those threads add 30-50% CPU beside the wall.
  const oneCore = phase === "workers" || phase === "threads" ? [] : ["--single-threaded"];
  const { stdout, stderr, code } = await run(process.execPath, [
    ...oneCore,
    ...process.execArgv,
    script,
    ...argv,
    "--phase",
    phase,
  ]);
  const line = stdout.split("\n").find((l) => l.startsWith(PHASE_MARK));
  if (code !== 0 || !line) throw new Error(`phase ${phase} failed (exit ${code}):\n${stderr.slice(-4000)}`);
  return JSON.parse(line.slice(PHASE_MARK.length)) as PhaseResult;
}

/** Hash of the engine's sources (src/, rules/), to tell whether every phase measured the same engine. */
async function engineSourceHash(): Promise<string> {
  const repo = fileURLToPath(new URL("../..", import.meta.url));
  const files: string[] = [];
  const collect = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "examples" && entry.name !== "node_modules") await collect(full);
      } else if (/\.(ts|ya?ml|json)$/.test(entry.name)) files.push(full);
    }
  };
  await collect(join(repo, "src"));
  await collect(join(repo, "rules"));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files)
    hash
      .update(relative(repo, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  return hash.digest("hex").slice(0, 12);
}

async function runPhase(phase: Phase, options: Options): Promise<PhaseResult> {
  const engineSource = await engineSourceHash();
  const result = await runPhaseWith(phase, options);
  return { ...result, engineSource };
}

async function runPhaseWith(phase: Phase, options: Options): Promise<PhaseResult> {
  const corpus = await loadCorpus(options);
  switch (phase) {
    case "parse":
      return phaseParse(corpus);
    case "copy":
      return phaseCopy(corpus);
    case "all":
    case "threads":
      return phaseAll(corpus, phase);
    case "chunks":
      return phaseChunks(corpus, options);
    case "workers":
      return phaseWorkers(corpus, options);
    case "bandit":
      return phaseBandit(corpus);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (options.phase) {
    const result = await runPhase(options.phase, options);
    process.stdout.write(`${PHASE_MARK}${JSON.stringify(result)}\n`);
    return;
  }
  const corpus = await loadCorpus(options);
  const meta = {
    root: corpus.root,
    files: corpus.files.length,
    bytes: corpus.bytes,
    skippedLarge: corpus.skippedLarge,
  };
  const results: PhaseResult[] = [];
  for (const phase of options.phases) {
    if (!options.json) process.stderr.write(`running ${phase}...\n`);
    results.push(await runPhaseInChild(phase, argv));
  }
  if (options.json) {
    console.log(
      JSON.stringify(
        { corpus: meta, cores: availableParallelism(), node: process.version, results },
        null,
        2,
      ),
    );
  } else printReport(meta, results, options);
  const llm = results.flatMap((r) => r.summary?.llm002 ?? []);
  if (llm.length > 0) process.exitCode = 1;
  if (threadsDiffer(results)) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(2);
  });
}
