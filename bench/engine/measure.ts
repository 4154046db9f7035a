// What a phase reports, and the tools it measures with: CPU time, peak RSS, live trees, a real gc().
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Parser from "tree-sitter";
import type { Phase } from "./options.js";

export const LLM_RULE = "VNX-LLM-002";
export const MB = 1e6;

export interface FindingBrief {
  ruleId: string;
  path: string;
  line: number;
  callee: string;
  provenance: string;
  code: string;
}

export interface AnalysisSummary {
  findings: number;
  suppressed: number;
  byRule: Record<string, number>;
  llm002: FindingBrief[];
  diagnostics: { errors: number; warnings: number; internalErrors: string[] };
  parseErrors: number;
  /** Modules the relevance filter let through (parsed and interpreted), and their size. */
  interpreted?: { files: number; bytes: number };
  /** Hash of every finding (rule, place, severity, fingerprint): equal digests, equal findings. */
  digest?: string;
}

export interface HeapSample {
  chunk: string;
  files: number;
  heapUsedMB: number;
  externalMB: number;
  rssMB: number;
  liveTrees: number;
}

export interface PhaseResult {
  phase: Phase;
  files: number;
  bytes: number;
  seconds: number;
  /** CPU time (user + system, all threads of the process) over the timed region: robust to a busy machine. */
  cpuSeconds: number;
  maxRssMB: number;
  summary?: AnalysisSummary;
  chunks?: number;
  heap?: HeapSample[];
  heapAfterResultDroppedMB?: number;
  liveTreesAfter?: number;
  liveTreesWhileResultHeld?: number;
  workers?: WorkerReport[];
  startupSeconds?: number;
  bandit?: { issues: number; errors: number; exitCode: number; byTest: Record<string, number> };
  note?: string;
  /** tree-sitter alone on the same files, timed chunk by chunk alongside the analysis (chunks phase). */
  floor?: { seconds: number; cpuSeconds: number };
  /** Hash of src/ and rules/ when the phase loaded the engine: the engine may change between phases. */
  engineSource?: string;
}

export interface WorkerReport {
  id: number;
  chunks: number;
  files: number;
  bytes: number;
  busySeconds: number;
  peakHeapUsedMB: number;
  maxRssMB: number;
}

export const rssMB = () => process.resourceUsage().maxRSS / 1024;
export const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Trees alive, counted through a finalizer on every tree tree-sitter hands out. */
export const treeCounter = (() => {
  let created = 0;
  let finalized = 0;
  const registry = new FinalizationRegistry<number>(() => {
    finalized++;
  });
  const proto = Parser.prototype as unknown as { parse: (...args: unknown[]) => Parser.Tree };
  const original = proto.parse;
  let installed = false;
  return {
    install() {
      if (installed) return;
      installed = true;
      proto.parse = function (this: Parser, ...args: unknown[]) {
        const tree = original.apply(this, args);
        created++;
        registry.register(tree, created);
        return tree;
      };
    },
    live: () => created - finalized,
  };
})();

/** A real gc() whether or not Node was started with --expose-gc. */
export function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

export async function fullGc(gc: () => void): Promise<void> {
  // Twice, with turns of the event loop between, so finalizers run and what they freed is collected.
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
