// Reads the bundled API models (rules/models/*.yml) once per process. The engine gets them as data.
//
// Parsing the YAML costs about 0.1 s of every run of the CLI (the parser's code is cold). So the rows are
// also kept as JSON (rules/models/bundled.json), with a hash of the YAML they came from: they are used
// only when the YAML is still what they were made from, and otherwise the YAML is parsed as always.
// test/models-bundle.test.ts fails when the JSON is out of date (`npx vitest run -u` on it writes it).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Advisory, parseAdvisories } from "../rules/VNX-DEP-001/check.js";
import { type ModelRows, modelRowsFrom } from "./engine/index.js";
import { type GlobalRules, globalRulesFrom } from "./model-files/globals.js";

let cached: { rows: ModelRows; advisories: Advisory[] } | undefined;

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
  return loadBundled().rows;
}

export function bundledAdvisories(): Advisory[] {
  return loadBundled().advisories;
}

/** Rows and advisories, from the JSON while it matches the YAML, else from the YAML: read once. */
function loadBundled(): { rows: ModelRows; advisories: Advisory[] } {
  if (cached) return cached;
  const documents = modelDocuments();
  const bundle = currentBundle(documents);
  cached = bundle ?? { rows: parseModels(documents), advisories: parseBundledAdvisories(documents) };
  return cached;
}

interface ModelDocument {
  name: string;
  text: string;
}

/** Every YAML document of rules/models, sorted by name. */
function modelDocuments(): ModelDocument[] {
  const folder = join(projectRoot(), "rules", "models");
  return readdirSync(folder)
    .filter((name) => name.endsWith(".yml"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(folder, name), "utf8") }));
}

function parseModels(documents: readonly ModelDocument[]): ModelRows {
  const apiDocuments = documents.filter((d) => d.name !== "advisories.yml" && d.name !== MODEL_FILE_GLOBALS);
  const { rows, errors } = modelRowsFrom(apiDocuments);
  if (errors.length > 0) throw new Error(`invalid bundled models: ${errors.join("; ")}`);
  return rows;
}

function parseBundledAdvisories(documents: readonly ModelDocument[]): Advisory[] {
  const text = documents.find((d) => d.name === "advisories.yml")?.text ?? "";
  const { advisories, errors } = parseAdvisories(text);
  if (errors.length > 0) throw new Error(`invalid bundled advisories: ${errors.join("; ")}`);
  return advisories;
}

const BUNDLE = "bundled.json";

interface Bundle {
  about: string;
  /** sha256 of the YAML documents (names and texts) the rows were read from. */
  source: string;
  rows: ModelRows;
  advisories: Advisory[];
}

function sourceHash(documents: readonly ModelDocument[]): string {
  const hash = createHash("sha256");
  for (const { name, text } of documents) hash.update(name).update("\0").update(text).update("\0");
  return hash.digest("hex");
}

/** The JSON rows, if they were made from the YAML as it is now. */
function currentBundle(documents: readonly ModelDocument[]): Bundle | undefined {
  const path = join(projectRoot(), "rules", "models", BUNDLE);
  if (!existsSync(path)) return undefined;
  try {
    const bundle = JSON.parse(readFileSync(path, "utf8")) as Bundle;
    return bundle.source === sourceHash(documents) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

/** rules/models/bundled.json as it should be: the YAML's rows and advisories, parsed now. */
export function bundleText(): string {
  const documents = modelDocuments();
  const bundle: Bundle = {
    about:
      "Generated from rules/models/*.yml (edit those): their rows as JSON, read instead of the YAML while `source` is the YAML's hash. Rewrite with `npx vitest run -u test/models-bundle.test.ts`.",
    source: sourceHash(documents),
    rows: parseModels(documents),
    advisories: parseBundledAdvisories(documents),
  };
  return `${JSON.stringify(bundle)}\n`;
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
