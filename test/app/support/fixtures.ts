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
    lines.push(
      `    code_${i} = client.chat.completions.create(model="m", messages=[]).choices[0].message.content`,
    );
    lines.push(`    exec(code_${i})`);
    lines.push("");
  }
  return lines.join("\n");
}

/** A YAML alias bomb: `levels` levels, each a list of `width` aliases of the one before (9 × 9 expands to 9⁹ strings). */
export function aliasBomb(levels = 9, width = 9): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(", ")}]`,
    );
  return `${lines.join("\n")}\nfail_on: never\n`;
}

/**
 * A file the analysis needs seconds for: `copies` nests of 90 loops over model output, each with its own
 * loop variables (about 7 s per MB here, in little memory). Nested loops cost the square of their depth,
 * so this is slow per byte but bounded; 30 nested loops were this file until the interpreter stopped
 * doubling its work per level.
 */
export function slowToAnalyse(copies = 100): string {
  const parts = [
    "import openai\n",
    "r = openai.OpenAI().chat.completions.create(model='x', messages=[]).choices[0].message.content\n",
  ];
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < 90; i++) parts.push(`${" ".repeat(i)}for v${c}_${i} in r:\n`);
    parts.push(`${" ".repeat(90)}pass\n`);
  }
  parts.push("exec(r)\n");
  return parts.join("");
}
