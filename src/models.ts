// Reads the bundled API models (rules/models/*.yml) once per process. The engine gets them as data.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Advisory, parseAdvisories } from "../rules/VNX-DEP-001/check.js";
import { type ModelRows, modelRowsFrom } from "./engine/index.js";
import { type GlobalRules, globalRulesFrom } from "./model-files/globals.js";

let cached: ModelRows | undefined;
let cachedAdvisories: Advisory[] | undefined;

/** The folder holding rules/, whether we run from src/ (tsx) or from dist/src/ (compiled). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readdirSync(join(dir, "rules", "models"));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error("cannot find the bundled rules/models folder");
}

export function bundledModels(): ModelRows {
  if (cached) return cached;
  const folder = join(projectRoot(), "rules", "models");
  const documents = readdirSync(folder)
    .filter((name) => name.endsWith(".yml") && name !== "advisories.yml" && name !== MODEL_FILE_GLOBALS)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(folder, name), "utf8") }));
  const { rows, errors } = modelRowsFrom(documents);
  if (errors.length > 0) throw new Error(`invalid bundled models: ${errors.join("; ")}`);
  cached = rows;
  return rows;
}

export function bundledAdvisories(): Advisory[] {
  if (cachedAdvisories) return cachedAdvisories;
  const text = readFileSync(join(projectRoot(), "rules", "models", "advisories.yml"), "utf8");
  const { advisories, errors } = parseAdvisories(text);
  if (errors.length > 0) throw new Error(`invalid bundled advisories: ${errors.join("; ")}`);
  cachedAdvisories = advisories;
  return advisories;
}

// VNX-DESER-004: what pickle streams in committed model files may import (not API rows: read apart).
const MODEL_FILE_GLOBALS = "model-file-globals.yml";
let cachedGlobals: GlobalRules | undefined;

export function bundledModelFileGlobals(): GlobalRules {
  if (cachedGlobals) return cachedGlobals;
  const text = readFileSync(join(projectRoot(), "rules", "models", MODEL_FILE_GLOBALS), "utf8");
  const { rules, errors } = globalRulesFrom(text);
  if (errors.length > 0) throw new Error(`invalid bundled model-file globals: ${errors.join("; ")}`);
  cachedGlobals = rules;
  return rules;
}
