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
