// Fail closed: a file the scan could not fully analyse is never reported as clean. It is named in every
// format with its reason, and the exit status is 3 (unless --allow-incomplete) when nothing else fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchemaErrors, sarifSchemaErrors } from "../report/validators.js";
import { CONSTANT_EXEC, LLM_EXEC, makeProject, runCli } from "./run-cli.js";

/** Model output in `r`; what follows decides whether the analysis reaches the `exec(r)` after it. */
const LLM_HEADER = `from openai import OpenAI
client = OpenAI()
r = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
`;

interface NotAnalysed {
  path: string;
  reason: string;
  extent: "file" | "part";
}

let skipped: { dir: string; cleanup: () => void };

beforeAll(() => {
  skipped = makeProject({
    "clean.py": CONSTANT_EXEC,
    "big.py": `${LLM_EXEC}${"x = 1\n".repeat(400)}`,
    "blob.py": Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x00, 0x01]),
  });
});
afterAll(() => skipped.cleanup());

describe("files that were not analysed", () => {
  it("exit 3 and are named with their reason in text, JSON, SARIF and GitHub output", async () => {
    const args = ["scan", "--max-file-size", "1k"];
    const [text, json, sarif, github, quiet] = await Promise.all([
      runCli([...args, "--no-color"], skipped.dir),
      runCli([...args, "-f", "json"], skipped.dir),
      runCli([...args, "-f", "sarif"], skipped.dir),
      runCli([...args, "-f", "github"], skipped.dir),
      runCli([...args, "--quiet"], skipped.dir),
    ]);
    for (const run of [text, json, sarif, github, quiet]) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(3);
    }

    expect(text.stdout).toContain(
      [
        "Not analysed (2 files): findings in them would not be reported",
        "  big.py: not analysed: 2.5 KiB is over the 1 KiB size limit (--max-file-size)",
        "  blob.py: not analysed: binary file (contains a NUL byte)",
      ].join("\n"),
    );
    const summary = text.stdout.trimEnd().split("\n").at(-1);
    expect(summary).toMatch(/^✖ No findings in what was analysed · 2 files NOT fully analysed · /);
    expect(text.stdout).not.toContain("✔");
    // --quiet drops notes and the summary, never the files that make the scan fail.
    expect(quiet.stdout).toContain("Not analysed (2 files)");
    expect(quiet.stdout).toContain("  blob.py: not analysed: binary file");

    const document = JSON.parse(json.stdout);
    expect(reportSchemaErrors(document)).toEqual([]);
    expect(document.notAnalysed).toEqual([
      { path: "big.py", reason: expect.stringContaining("size limit"), extent: "file" },
      { path: "blob.py", reason: expect.stringContaining("binary"), extent: "file" },
    ]);
    expect(document.gate).toMatchObject({
      failed: false,
      notAnalysed: 2,
      allowIncomplete: false,
      exitCode: 3,
    });
    expect(document.diagnostics.find((d: { path: string }) => d.path === "big.py").incomplete).toBe("file");

    const log = JSON.parse(sarif.stdout);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [invocation] = log.runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.exitCode).toBe(3);
    const notified = invocation.toolExecutionNotifications.filter(
      (n: { descriptor?: { id: string } }) => n.descriptor?.id === "not-analysed",
    );
    expect(
      notified.map(
        (n: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          n.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(["big.py", "blob.py"]);
    expect(notified[0]).toMatchObject({
      level: "warning",
      message: { text: expect.stringContaining("size limit") },
    });

    const annotations = github.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations).toEqual([
      expect.stringMatching(
        /^::error file=big\.py,title=RCE Guard%3A not analysed%3A big\.py::not analysed: 2\.5 KiB/,
      ),
      expect.stringMatching(
        /^::error file=blob\.py,title=RCE Guard%3A not analysed%3A blob\.py::not analysed: binary/,
      ),
    ]);
    expect(github.stdout).toContain("2 file(s) NOT fully analysed");
  });

  it("--allow-incomplete keeps them listed but exits 0; a finding at the threshold still exits 1", async () => {
    const [allowed, named] = await Promise.all([
      runCli(["scan", "--max-file-size", "1k", "--allow-incomplete", "--no-color"], skipped.dir),
      runCli(["scan", "--max-file-size", "1k", "-f", "json", "clean.py", "blob.py", "big.py"], skipped.dir),
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("  blob.py: not analysed: binary file");
    expect(allowed.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^! No findings in what was analysed · 2 files NOT fully analysed \(allowed\) · /,
    );
    expect(named.code).toBe(3);

    const found = makeProject({ "app.py": LLM_EXEC, "blob.py": Buffer.from([0, 1, 2]) });
    try {
      const run = await runCli(["scan", "-f", "json"], found.dir);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).notAnalysed.map((file: NotAnalysed) => file.path)).toEqual(["blob.py"]);
    } finally {
      found.cleanup();
    }
  });
});

describe("inputs past what the analysis can follow", () => {
  let hostile: { dir: string; cleanup: () => void };
  beforeAll(() => {
    hostile = makeProject({
      "nested.py": `${LLM_HEADER}x = ${"(".repeat(5000)}1${")".repeat(5000)}\nexec(r)\n`,
      "terms.py": `${LLM_HEADER}x = ${Array.from({ length: 100_000 }, () => "1").join(" + ")}\nexec(r)\n`,
      // 4.1 KB: one deeply parenthesised line before the sink.
      "small.py": `${LLM_HEADER}x = ${"(".repeat(2000)}1${")".repeat(2000)}\nexec(r)\n`,
    });
  });
  afterAll(() => hostile.cleanup());

  it("either find the flow or name the file as not fully analysed, and never exit 0", async () => {
    const [json, text] = await Promise.all([
      runCli(["scan", "-f", "json"], hostile.dir),
      runCli(["scan", "--no-color", "small.py"], hostile.dir),
    ]);
    expect(json.stderr).toBe("");
    const document = JSON.parse(json.stdout);
    expect(reportSchemaErrors(document)).toEqual([]);
    const incomplete = new Set(document.notAnalysed.map((file: NotAnalysed) => file.path));
    const found = new Set(document.findings.map((f: { location: { path: string } }) => f.location.path));
    for (const path of ["nested.py", "terms.py", "small.py"]) {
      expect(found.has(path) || incomplete.has(path), `${path} found or named`).toBe(true);
    }
    expect(json.code).toBe(found.size > 0 ? 1 : 3);
    expect([1, 3]).toContain(text.code);
    expect(text.stdout).not.toContain("✔ No findings");
  });
});

describe("--max-file-size", () => {
  it("is the one size limit: a 20 MiB file is analysed with --max-file-size 30m", async () => {
    // A long string literal parses in linear time; the finding sits before it.
    const project = makeProject({ "big.py": `${LLM_EXEC}BLOB = "${"a".repeat(20 * 1024 * 1024)}"\n` });
    try {
      const run = await runCli(["scan", "--max-file-size", "30m", "-f", "json"], project.dir);
      const document = JSON.parse(run.stdout);
      expect(document.diagnostics).toEqual([]);
      expect(document.findings.map((f: { location: { path: string } }) => f.location.path)).toEqual([
        "big.py",
      ]);
      expect(document.stats.files).toBe(1);
      expect(run.code).toBe(1);
    } finally {
      project.cleanup();
    }
  });
});

describe("--file-budget", () => {
  it("a file that outlasts its budget is cut off, named as partly analysed, and the scan exits 3", async () => {
    // 4,000 variables then 4,000 if blocks: linear now, but far more than a millisecond of work.
    const lines = [LLM_HEADER.trimEnd()];
    for (let i = 0; i < 4000; i++) lines.push(`a${i} = ${i}`);
    for (let i = 0; i < 4000; i++) lines.push(`if a${i}:\n    a${i} = 1`);
    const project = makeProject({ "slow.py": `${lines.join("\n")}\n`, "ok.py": CONSTANT_EXEC });
    try {
      const run = await runCli(["scan", "--file-budget", "0.001", "-f", "json"], project.dir);
      const document = JSON.parse(run.stdout);
      expect(document.notAnalysed).toEqual([
        {
          path: "slow.py",
          extent: "part",
          reason: expect.stringMatching(
            /^not fully analysed: exceeded the time budget of 1 ms \(stopped at line \d+ of slow.py\)$/,
          ),
        },
      ]);
      expect(run.code).toBe(3);
    } finally {
      project.cleanup();
    }
  });
});
