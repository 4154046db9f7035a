// Seeded, bounded fuzzing of the engine: Python with hostile blocks (deep nesting, long lines, odd line
// breaks, BOM, replacement characters and lone surrogates, huge literals, broken syntax) around a known
// flow — model output reaching `exec`. Oracle: the analysis never throws, ends within its budget, and the
// flow is either found or the file is named (not fully analysed, or a syntax error CPython would also
// refuse). Silence is the one outcome not allowed. FUZZ_SEED=n explores other cases; FUZZ_CASES=n more.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { MODEL_CALL } from "../support/hostile-python.js";
import { seededRandom } from "../support/prng.js";

type Random = () => number;
const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Blocks of hostile code, each a complete statement sequence at column 0 (unless it breaks syntax on purpose). */
const BLOCKS: ((random: Random) => string)[] = [
  (r) => {
    const d = int(r, 1, 260);
    return `x = ${"(".repeat(d)}1${")".repeat(d)}\n`;
  },
  (r) => {
    const d = int(r, 1, 260);
    return `x = ${"f(".repeat(d)}1${")".repeat(d)}\n`;
  },
  (r) => {
    const d = int(r, 1, 120);
    let s = "";
    for (let i = 0; i < d; i++)
      s += `${" ".repeat(i)}${pick(r, ["if a:", "for i in b:", "while c:", "with d:", "try:"])}\n`;
    // A `try:` needs a handler: close every level with `pass` and handlers at its own indentation.
    s += `${" ".repeat(d)}pass\n`;
    const lines = s.split("\n").filter(Boolean);
    for (let i = d - 1; i >= 0; i--)
      if (lines[i]!.trim() === "try:") s += `${" ".repeat(i)}except E:\n${" ".repeat(i + 1)}pass\n`;
    return s;
  },
  (r) =>
    `y = ${Array(int(r, 1, 20_000))
      .fill("a")
      .join(pick(r, [" + ", " and ", " or ", " * "]))}\n`,
  (r) => `z = a${".b".repeat(int(r, 1, 3000))}\n`,
  (r) => `w = g${"()".repeat(int(r, 1, 3000))}\n`,
  (r) => `# comment${pick(r, ["\r", "\r\n", "\f", "\u2028", "\v"])}v = 1\n`,
  (r) => `s = "${"x".repeat(int(r, 0, 2_000_000))}"\n`,
  (r) => `t = """${"\uFFFD\uD800 ]]} ((".repeat(int(r, 0, 5000))}"""\n`,
  (r) => `${"import foo ".repeat(int(r, 1, 20_000))}\n`,
  (r) => `class A(\n`.repeat(int(r, 1, 50)),
  (r) => `def f${int(r, 0, 9)}(a):\n${"    x = a\n".repeat(int(r, 1, 2000))}    return x\n`,
  (r) => `l = lambda a: ${"lambda a: ".repeat(int(r, 1, 40))}a\n`,
  (r) => `\f\n${"\t".repeat(int(r, 0, 3))}\n`,
  (r) => String.fromCharCode(...Array.from({ length: int(r, 1, 200) }, () => int(r, 1, 0x2fff))),
];

function fuzzCase(random: Random): string {
  const before = Array.from({ length: int(random, 0, 3) }, () => pick(random, BLOCKS)(random)).join("");
  const after = Array.from({ length: int(random, 0, 2) }, () => pick(random, BLOCKS)(random)).join("");
  let text = `${MODEL_CALL}${before}exec(r)\n${after}`;
  const lineBreak = pick(random, ["\n", "\n", "\r\n", "\r"]);
  if (lineBreak !== "\n") text = text.replaceAll("\n", lineBreak);
  if (random() < 0.2) text = `\uFEFF${text}`;
  return text;
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = Number(process.env.FUZZ_CASES ?? 120);
const BUDGET_MS = 10_000;

describe(`engine fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  it("every case ends within its budget with the flow found or the file named", { timeout: 300_000 }, () => {
    const random = seededRandom(SEED);
    const silent: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const text = fuzzCase(random);
      const started = performance.now();
      const result = runAnalysis([{ path: `case${n}.py`, text }], {
        maxFileBytes: 16 << 20,
        budget: { clock: () => performance.now(), fileMs: BUDGET_MS, totalMs: BUDGET_MS },
      });
      const elapsed = performance.now() - started;
      // The budget is checked every few thousand steps: allow for the last stretch and the parse.
      expect(elapsed, `case ${n} took ${elapsed} ms`).toBeLessThan(BUDGET_MS + 5_000);
      const found = result.findings.some((f) => f.ruleId === "VNX-LLM-002");
      const named = result.diagnostics.some(
        (d) => d.incomplete !== undefined || /syntax error/.test(d.message),
      );
      if (!found && !named) silent.push(`case ${n}: ${JSON.stringify(text.slice(0, 300))}`);
    }
    expect(silent).toEqual([]);
  });
});
