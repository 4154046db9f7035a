// Turns the parsed YAML documents of rules/models/ (and a config's extra rows) into typed ModelRows.
// Pure: the caller reads the files. Unknown shapes are reported, never thrown.
import { parse } from "yaml";
import { expandAlternatives } from "./models.js";
import type {
  FunctionCallerModel,
  ArgumentCondition,
  FixTemplate,
  MethodSinkModel,
  ModelRows,
  SinkCategory,
  SinkModel,
  VersionGate,
} from "./models.js";
import type { EngineSettings } from "./settings.js";
import { emptyToolRows, toolRowsFrom } from "./tool-models.js";

export interface ModelDocument {
  name: string;
  text: string;
}

const CATEGORIES: readonly SinkCategory[] = ["code", "shell", "process", "import", "deserialization"];

export function modelRowsFrom(documents: readonly ModelDocument[]): { rows: ModelRows; errors: string[] } {
  const rows: Required<Pick<ModelRows, "llmSources" | "remoteSources" | "sinks" | "methodSinks">> &
    ModelRows = {
    llmSources: [],
    remoteSources: [],
    sinks: [],
    methodSinks: [],
    tools: emptyToolRows(),
  };
  const errors: string[] = [];
  for (const document of documents) {
    let data: unknown;
    try {
      data = parse(document.text);
    } catch (error) {
      errors.push(`${document.name}: ${(error as Error).message}`);
      continue;
    }
    if (!isRecord(data)) continue;
    const isRemote = document.name.includes("remote");
    for (const row of list(data.sources)) {
      if (typeof row.api !== "string") continue;
      if (isRemote) rows.remoteSources.push({ api: row.api });
      else
        rows.llmSources.push(typeof row.sdk === "string" ? { api: row.api, sdk: row.sdk } : { api: row.api });
    }
    for (const row of list(data.sinks)) {
      const sink = sinkFrom(row, document.name, errors);
      if (sink) rows.sinks.push(sink);
    }
    for (const row of list(data.method_sinks)) {
      const base = sinkFrom({ ...row, api: String(row.method) }, document.name, errors);
      if (base && typeof row.method === "string" && typeof row.when_imported === "string") {
        const { api: _api, ...rest } = base;
        const methodSink: MethodSinkModel = { ...rest, method: row.method, whenImported: row.when_imported };
        rows.methodSinks.push(methodSink);
      }
    }
    if (Array.isArray(data.interpreters))
      rows.interpreters = [...(rows.interpreters ?? []), ...data.interpreters.map(String)];
    if (Array.isArray(data.mutators)) rows.mutators = data.mutators.map(String);
    if (Array.isArray(data.string_builders)) rows.stringBuilders = data.string_builders.map(String);
    if (Array.isArray(data.fluent_methods)) rows.fluentMethods = data.fluent_methods.map(String);
    if (typeof data.wrapper_receivers === "string") rows.wrapperReceivers = data.wrapper_receivers;
    if (Array.isArray(data.wrapper_methods)) rows.wrapperMethods = data.wrapper_methods.map(String);
    if (Array.isArray(data.llm_http_endpoints)) rows.llmHttpEndpoints = data.llm_http_endpoints.map(String);
    if (Array.isArray(data.llm_http_bodies))
      rows.llmHttpBodies = data.llm_http_bodies
        .filter(Array.isArray)
        .map((keys: unknown[]) => keys.map(String));
    if (Array.isArray(data.model_artifact_names))
      rows.modelArtifactNames = data.model_artifact_names.map(String);
    const apis = (value: unknown) =>
      list(value)
        .filter((r) => typeof r.api === "string")
        .map((r) => ({ api: String(r.api) }));
    if (data.propagators) {
      rows.propagators = [
        ...(rows.propagators ?? []),
        ...list(data.propagators)
          .filter((r) => typeof r.api === "string")
          .map((r) =>
            Array.isArray(r.args)
              ? { api: String(r.api), args: r.args as (number | string)[] }
              : { api: String(r.api) },
          ),
      ];
    }
    if (data.sanitizers) rows.sanitizers = [...(rows.sanitizers ?? []), ...apis(data.sanitizers)];
    if (data.validators) rows.validators = [...(rows.validators ?? []), ...apis(data.validators)];
    toolRowsFrom(data, rows.tools!, document.name, errors);
    for (const row of list(data.request_parameters)) {
      if (typeof row.name === "string" && typeof row.when_imported === "string") {
        rows.requestParameters = [
          ...(rows.requestParameters ?? []),
          { name: row.name, whenImported: row.when_imported },
        ];
      }
    }
    if (data.request_handler_decorators) {
      rows.requestHandlerDecorators = [
        ...(rows.requestHandlerDecorators ?? []),
        ...apis(data.request_handler_decorators),
      ];
    }
    for (const row of list(data.allowlist_guards)) {
      if (typeof row.api === "string" && typeof row.subject === "number") {
        rows.allowlistGuards = [...(rows.allowlistGuards ?? []), { api: row.api, subject: row.subject }];
      } else
        errors.push(
          `${document.name}: allowlist guard ${JSON.stringify(row)} needs an api and a subject position`,
        );
    }
    for (const row of list(data.function_callers)) {
      if (typeof row.api !== "string") continue;
      const keys = (value: unknown) => (Array.isArray(value) ? (value as (number | string)[]) : undefined);
      const caller: FunctionCallerModel = { api: row.api };
      for (const field of ["function", "args", "kwargs", "each"] as const) {
        const value = keys(row[field]);
        if (value) caller[field] = value;
      }
      if (typeof row.rest === "number") caller.rest = row.rest;
      if (row.returns === true) caller.returns = true;
      rows.functionCallers = [...(rows.functionCallers ?? []), caller];
    }
    if (Array.isArray(data.module_loaders))
      rows.moduleLoaders = [...(rows.moduleLoaders ?? []), ...data.module_loaders.map(String)];
    if (Array.isArray(data.file_openers))
      rows.fileOpeners = [...(rows.fileOpeners ?? []), ...data.file_openers.map(String)];
    if (Array.isArray(data.file_objects))
      rows.fileObjects = [...(rows.fileObjects ?? []), ...data.file_objects.map(String)];
    for (const row of list(data.restricting_overrides)) {
      if (typeof row.base_ends_with === "string" && typeof row.method === "string") {
        rows.restrictingOverrides = [
          ...(rows.restrictingOverrides ?? []),
          { baseEndsWith: row.base_ends_with, method: row.method },
        ];
      } else
        errors.push(
          `${document.name}: restricting override ${JSON.stringify(row)} needs base_ends_with and method`,
        );
    }
    for (const row of list(data.returns)) {
      if (typeof row.api === "string" && typeof row.type === "string")
        rows.returnTypes = [...(rows.returnTypes ?? []), { api: row.api, type: row.type }];
      else errors.push(`${document.name}: return type ${JSON.stringify(row)} needs an api and a type`);
    }
    if (isRecord(data.pipelines)) {
      if (Array.isArray(data.pipelines.operands)) rows.pipelineOperands = data.pipelines.operands.map(String);
      if (typeof data.pipelines.result === "string") rows.pipelineResult = data.pipelines.result;
    }
  }
  return { rows, errors };
}

/** Adds a configuration's own sources, sinks and sanitizers (`mycorp.llm.ask()`) to the bundled rows. */
export function withConfigRows(
  rows: ModelRows,
  extra: Pick<EngineSettings, "sources" | "sinks" | "sanitizers">,
): ModelRows {
  const category = (kind: string | undefined): SinkCategory =>
    CATEGORIES.includes(kind as SinkCategory) ? (kind as SinkCategory) : "code";
  return {
    ...rows,
    llmSources: [
      ...(rows.llmSources ?? []),
      ...extra.sources.filter((s) => s.kind !== "remote").map((s) => ({ api: s.api })),
    ],
    remoteSources: [
      ...(rows.remoteSources ?? []),
      ...extra.sources.filter((s) => s.kind === "remote").map((s) => ({ api: s.api })),
    ],
    sinks: [
      ...(rows.sinks ?? []),
      ...extra.sinks.map((s) => ({
        api: s.api,
        category: category(s.kind),
        args: [0],
        vararg: false,
        onlyIf: [],
        unless: [],
      })),
    ],
    sanitizers: [...(rows.sanitizers ?? []), ...extra.sanitizers.map((s) => ({ api: s.api }))],
  };
}

function sinkFrom(row: Record<string, unknown>, file: string, errors: string[]): SinkModel | undefined {
  const category = row.category as SinkCategory;
  if (typeof row.api !== "string" || !CATEGORIES.includes(category)) {
    errors.push(
      `${file}: sink row ${JSON.stringify(row)} needs an api and a category (${CATEGORIES.join(", ")})`,
    );
    return undefined;
  }
  const sink: SinkModel = {
    api: row.api,
    category,
    args: Array.isArray(row.args) ? (row.args as (number | string)[]) : [0],
    vararg: row.vararg === true,
    onlyIf: conditions(row.only_if),
    unless: conditions(row.unless),
  };
  if (row.receiver_only_if !== undefined) sink.receiverOnlyIf = conditions(row.receiver_only_if);
  if (typeof row.rule === "string") sink.rule = row.rule;
  if (row.callee_is_input === true) sink.calleeIsInput = true;
  if (row.runs_file === true) sink.runsFile = true;
  if (typeof row.note === "string") sink.note = row.note;
  if (typeof row.writer === "string") sink.writer = row.writer;
  if (row.artifact === "model") sink.artifact = "model";
  if (isRecord(row.version_gate)) {
    const gate = row.version_gate;
    if (typeof gate.package === "string" && typeof gate.safe_from === "string") {
      const versionGate: VersionGate = {
        package: gate.package,
        safeFrom: gate.safe_from,
        because: String(gate.because ?? ""),
        reportWhenUnpinned: gate.report_when_unpinned !== false,
      };
      sink.versionGate = versionGate;
      if (typeof gate.keyword === "string") sink.gateKeyword = gate.keyword;
      if (typeof gate.position === "number") sink.gatePosition = gate.position;
    }
  }
  if (isRecord(row.fix)) {
    const fix = row.fix;
    const kind = fix.kind as FixTemplate["kind"];
    if (kind === "replace_callee" || kind === "set_keyword" || kind === "remove_keyword") {
      const template: FixTemplate = {
        kind,
        safety: fix.safety === "unsafe" ? "unsafe" : "safe",
        description: String(fix.description ?? ""),
      };
      if (typeof fix.callee === "string") template.callee = fix.callee;
      if (typeof fix.keyword === "string") template.keyword = fix.keyword;
      if (typeof fix.value === "string") template.value = fix.value;
      sink.fix = template;
    }
  }
  return sink;
}

function conditions(value: unknown): ArgumentCondition[] {
  const rows = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return rows.filter(isRecord).map((row) => {
    const condition: ArgumentCondition = {};
    if (typeof row.keyword === "string") condition.keyword = row.keyword;
    if (typeof row.position === "number") condition.position = row.position;
    if ("equals" in row && row.equals !== undefined)
      condition.equals = row.equals as NonNullable<ArgumentCondition["equals"]> | null;
    if (Array.isArray(row.in)) condition.in = row.in.map(String).flatMap(expandAlternatives);
    if (row.absent === true) condition.absent = true;
    if (row.truthy === true) condition.truthy = true;
    return condition;
  });
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
