// Python sources the tests put in pull requests (real code the engine flags, see test/fixtures/app).
import { readFileSync } from "node:fs";

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/app/${name}`, import.meta.url), "utf8");
}

/** `count` functions, each executing model output: one finding per function. */
export function manyLlmExecs(count: number): string {
  const lines = ["from openai import OpenAI", "client = OpenAI()", ""];
  for (let i = 0; i < count; i++) {
    lines.push(`def run_${i}():`);
    lines.push(`    code_${i} = client.chat.completions.create(model="m", messages=[]).choices[0].message.content`);
    lines.push(`    exec(code_${i})`);
    lines.push("");
  }
  return lines.join("\n");
}

/** A YAML alias bomb: `levels` levels, each a list of `width` aliases of the one before (9 × 9 expands to 9⁹ strings). */
export function aliasBomb(levels = 9, width = 9): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\nfail_on: never\n`;
}

/**
 * Python whose analysis never ends (each nested loop is interpreted twice: 2^depth passes), carrying model
 * output to `exec`: a denial of service by one file unless a budget cuts it.
 */
export function nestedLoops(depth = 30): string {
  const lines = [
    "import openai",
    "r = openai.OpenAI().chat.completions.create(model='x', messages=[]).choices[0].message.content",
  ];
  for (let i = 0; i < depth; i++) lines.push(`${"    ".repeat(i)}for i${i} in range(3):`);
  lines.push(`${"    ".repeat(depth)}r = r + str(i0)`);
  lines.push("exec(r)");
  return `${lines.join("\n")}\n`;
}
