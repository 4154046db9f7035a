import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledAdvisories, bundledModels, bundleText } from "../src/models.js";

const BUNDLE = join(import.meta.dirname, "..", "rules", "models", "bundled.json");

describe("the bundled models as JSON", () => {
  it("are the YAML's rows exactly, made from the YAML as it is now", async () => {
    // Fails when a YAML model changed and the JSON was not written again (`npx vitest run -u` on this file).
    await expect(bundleText()).toMatchFileSnapshot(BUNDLE);
    const bundle = JSON.parse(readFileSync(BUNDLE, "utf8"));
    expect(bundledModels()).toStrictEqual(bundle.rows);
    expect(bundledAdvisories()).toStrictEqual(bundle.advisories);
  });
});
