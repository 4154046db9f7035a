// In-process runs of main() for what a child process cannot show: behaviour on a terminal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { makeProject } from "./run-cli.js";

let project: { dir: string; cleanup: () => void };
beforeAll(() => {
  project = makeProject({ "app.py": "print('hello')\n" });
});
afterAll(() => project.cleanup());

function terminal() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: (env: Record<string, string>) => ({
      stdout: { isTTY: true, columns: 80, write: (chunk: string) => out.push(chunk) },
      stderr: { isTTY: true, columns: 80, write: (chunk: string) => err.push(chunk) },
      env,
      cwd: project.dir,
    }),
    out,
    err,
  };
}

describe("rce-guard on a terminal", () => {
  it("colours the text report unless NO_COLOR or --no-color says otherwise", async () => {
    const coloured = terminal();
    expect(await main(["scan"], coloured.io({}))).toBe(0);
    expect(coloured.out.join("")).toContain("\x1b[");
    expect(coloured.out.join("")).toContain("No findings");

    const noColorEnv = terminal();
    await main(["scan"], noColorEnv.io({ NO_COLOR: "1" }));
    expect(noColorEnv.out.join("")).not.toContain("\x1b[");

    const noColorFlag = terminal();
    await main(["scan", "--no-color"], noColorFlag.io({}));
    expect(noColorFlag.out.join("")).not.toContain("\x1b[");
    expect(noColorFlag.out.join("")).toMatch(/^✔ No findings · 0 suppressed · 1 file scanned in/);
  });
});
