// The harness's command line: which phases to run, on how much of the corpus, and how.
import { availableParallelism } from "node:os";

export const PHASES = ["parse", "copy", "chunks", "all", "threads", "workers", "bandit"] as const;
export type Phase = (typeof PHASES)[number];

export interface Options {
  limit: number | undefined;
  json: boolean;
  workers: number;
  groupBytes: number;
  phases: Phase[];
  root: string | undefined;
  /** Internal: run one phase in this process and print its result as JSON. */
  phase: Phase | undefined;
}

export function parseArgs(argv: string[]): Options {
  const options: Options = {
    limit: undefined,
    json: false,
    workers: availableParallelism(),
    groupBytes: 4 * 1024 * 1024,
    phases: [...PHASES],
    root: undefined,
    phase: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--limit") options.limit = Number.parseInt(value(), 10);
    else if (arg === "--json") options.json = true;
    else if (arg === "--workers") options.workers = Math.max(1, Number.parseInt(value(), 10));
    else if (arg === "--group-mib") options.groupBytes = Number.parseFloat(value()) * 1024 * 1024;
    else if (arg === "--only") options.phases = value().split(",").map(checkPhase);
    else if (arg === "--skip") {
      const skip = new Set(value().split(",").map(checkPhase));
      options.phases = options.phases.filter((p) => !skip.has(p));
    } else if (arg === "--root") options.root = value();
    else if (arg === "--phase") options.phase = checkPhase(value());
    else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: npm run bench -- [--limit N] [--json] [--workers N] [--only parse,copy,chunks,all,workers,bandit]\n" +
          "                        [--skip PHASES] [--group-mib 4] [--root DIR]",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

export function checkPhase(name: string): Phase {
  if (!(PHASES as readonly string[]).includes(name))
    throw new Error(`unknown phase ${name} (${PHASES.join(", ")})`);
  return name as Phase;
}
