// VNX-DESER-004's test set: rules/VNX-DESER-004/examples/make_fixtures.py writes malicious and benign
// model files (and what each must give) into a temporary folder; each is scanned as bytes, whole and in
// tiny chunks (a streaming reader must not depend on where chunks end). Nothing is ever loaded.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundledModelFileGlobals } from "../../src/models.js";
import { type ModelScanResult, scanModelBytes, scanModelStream } from "../../src/model-files/scan.js";

const dir = mkdtempSync(join(tmpdir(), "rce-guard-model-files-"));
execFileSync("python3", [
  join(import.meta.dirname, "..", "..", "rules", "VNX-DESER-004", "examples", "make_fixtures.py"),
  dir,
]);
const expected: Record<
  string,
  { critical: string[]; high: string[]; medium: string[]; problems: boolean; lambdas: boolean }
> = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summary(r: ModelScanResult) {
  const of = (grade: string) =>
    [...new Set(r.imports.filter((i) => i.grade === grade).map((i) => i.path))].sort();
  return {
    critical: of("critical"),
    high: of("high"),
    medium: of("medium"),
    problems: r.problems.length > 0,
    lambdas: r.lambdaLayers.length > 0,
  };
}

describe("VNX-DESER-004 test set", () => {
  const rules = bundledModelFileGlobals();
  it("has malicious and benign files", () => {
    const values = Object.values(expected);
    expect(values.filter((e) => e.critical.length > 0).length).toBeGreaterThan(25);
    expect(
      values.filter(
        (e) => e.critical.length + e.high.length + e.medium.length === 0 && !e.problems && !e.lambdas,
      ).length,
    ).toBeGreaterThan(15);
  });

  it.each(Object.keys(expected).sort())("%s", async (name) => {
    const bytes = readFileSync(join(dir, name));
    const want = expected[name]!;
    const whole = summary(await scanModelBytes(bytes, { rules, name }));
    expect(whole).toEqual({
      ...want,
      critical: [...want.critical].sort(),
      high: [...want.high].sort(),
      medium: [...want.medium].sort(),
    });
    // Chunks of 1 to 7 bytes: every boundary inside every header and opcode.
    const chunked = await scanModelStream(
      (async function* () {
        for (let i = 0, size = 1; i < bytes.length; i += size, size = (size % 7) + 1)
          yield bytes.subarray(i, i + size);
      })(),
      { rules, name },
    );
    expect(summary(chunked)).toEqual(whole);
  });
});
