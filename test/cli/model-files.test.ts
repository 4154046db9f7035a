// VNX-DESER-004 through the real CLI: model files in the scanned paths are found by name and by content,
// reported as findings on the file, and with --diff only when the branch changed them.
import { afterAll, describe, expect, it } from "vitest";
import { git, makeProject, runCli, writeProjectFiles } from "./run-cli.js";

// pickle.dumps of an object reducing to (os.system, ("id",)), written opcode by opcode (protocol 2).
const EVIL = Buffer.from("\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.", "latin1");
const BENIGN = Buffer.from("\x80\x02ccollections\nOrderedDict\n)Rq\x00.", "latin1");

describe("model files in the CLI", () => {
  const project = makeProject({
    "app.py": "print('hello')\n",
    "models/scaler.pkl": BENIGN,
    "models/weights.bin": EVIL,
    "data/notes.txt": EVIL,
    "data/readme.txt": "just text\n",
  });
  afterAll(project.cleanup);

  it("reports malicious model files, whatever their extension, and not benign ones", async () => {
    const run = await runCli(["scan", "--format", "json"], project.dir);
    const document = JSON.parse(run.stdout);
    const files = document.findings
      .filter((f: { ruleId: string }) => f.ruleId === "VNX-DESER-004")
      .map((f: { location: { path: string } }) => f.location.path);
    expect(files.sort()).toEqual(["data/notes.txt", "models/weights.bin"]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain("os.system");
  });

  it("with --diff, reports only model files the branch changed", async () => {
    const repo = makeProject({ "app.py": "print('hello')\n", "old.pkl": EVIL });
    try {
      git(repo.dir, "init", "--quiet", "--initial-branch=main");
      git(repo.dir, "add", ".");
      git(repo.dir, "commit", "--quiet", "-m", "base");
      git(repo.dir, "checkout", "--quiet", "-b", "feature");
      writeProjectFiles(repo.dir, { "model.pt": EVIL });
      git(repo.dir, "add", ".");
      git(repo.dir, "commit", "--quiet", "-m", "add a model");
      const run = await runCli(["scan", "--diff", "main", "--format", "json"], repo.dir);
      const document = JSON.parse(run.stdout);
      expect(document.findings.map((f: { location: { path: string } }) => f.location.path)).toEqual([
        "model.pt",
      ]);
    } finally {
      repo.cleanup();
    }
  });
});
