// JSON Schema validators for the two documented machine formats: our own report schema and the
// official SARIF 2.1.0 schema (shipped by @microsoft/jest-sarif; draft-04, which ajv 8 reads once the
// draft marker is dropped, as the schema uses no keyword whose meaning changed since).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);

function compile(schema: Record<string, unknown>): ValidateFunction {
  // The SARIF schema's language-tag pattern is only valid as a non-unicode RegExp.
  return new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(
    schema,
  );
}

let reportValidator: ValidateFunction | undefined;
let sarifValidator: ValidateFunction | undefined;

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`);
}

/** Schema errors of a JSON report document; empty when it is valid. */
export function reportSchemaErrors(document: unknown): string[] {
  reportValidator ??= compile(JSON.parse(readFileSync(join(repoRoot, "docs", "report.schema.json"), "utf8")));
  return reportValidator(document) ? [] : describe(reportValidator.errors);
}

/** Schema errors of a SARIF log against the official 2.1.0 schema; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!sarifValidator) {
    const schemaPath = join(
      dirname(require.resolve("@microsoft/jest-sarif/package.json")),
      "lib",
      "schemas",
      "sarif-2.1.0-rtm.5.json",
    );
    const {
      $schema: _draft,
      id: _id,
      ...schema
    } = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
    sarifValidator = compile(schema);
  }
  return sarifValidator(log) ? [] : describe(sarifValidator.errors);
}
