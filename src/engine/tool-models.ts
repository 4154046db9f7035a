// Tools as data (rules/models/llm-tools.yml): the conventions by which frameworks hand a function to a model,
// whose parameters the model then fills. Rows name decorators, base classes, message classes and
// registration calls; `tool_shapes` recognises the same conventions by their names, for frameworks without
// rows (lower confidence). Pure: the caller parses the YAML.
import { PathMatcher } from "./models.js";

export interface ToolDecoratorRow {
  api: string;
  /** The framework passes its own context object as the first parameter (Pydantic AI's `@agent.tool`). */
  firstParamIsContext?: boolean;
}

export interface ToolClassRow {
  base: string;
  /** Methods the framework calls with the model's arguments. */
  methods: string[];
  /** The instance is the model's message: its fields are model output (langroid's ToolMessage.handle). */
  selfIsMessage?: boolean;
}

export interface ToolMessageRow {
  base: string;
  /** The class field whose default names the handler method of an agent (langroid's `request`). */
  requestField: string;
}

export interface ToolRegistrationRow {
  api: string;
  /** Positions and keyword names of the arguments holding the tool function(s). */
  args: (number | string)[];
}

export interface ToolShapeRows {
  decorators?: string;
  classes?: string;
  methods?: string[];
  keywords?: string[];
  /** Calls that build a tool schema from the function given first (`function_to_schema(f)`). */
  schemaCalls?: string;
}

export interface ToolRows {
  decorators: ToolDecoratorRow[];
  classes: ToolClassRow[];
  messages: ToolMessageRow[];
  registrations: ToolRegistrationRow[];
  shapes?: ToolShapeRows;
}

export interface CompiledToolModels {
  decorators: PathMatcher<ToolDecoratorRow>;
  classes: PathMatcher<ToolClassRow>;
  messages: PathMatcher<ToolMessageRow>;
  registrations: PathMatcher<ToolRegistrationRow>;
  /** Last names of message bases (`ToolMessage`), to find their subclasses' requests in the text. */
  messageBaseNames: ReadonlySet<string>;
  /** Fields naming a handler (`request`). */
  requestFields: ReadonlySet<string>;
  shapes: {
    decorator: RegExp;
    className: RegExp;
    methods: ReadonlySet<string>;
    keywords: ReadonlySet<string>;
    /** Tested on the callee's last name. */
    schemaCall: RegExp;
  };
  /** API paths of every row, for the relevance filter's clues. */
  cluePaths: string[];
}

export function emptyToolRows(): ToolRows {
  return { decorators: [], classes: [], messages: [], registrations: [] };
}

/** Reads the tool sections of one parsed model document into `rows`. */
export function toolRowsFrom(
  data: Record<string, unknown>,
  rows: ToolRows,
  file: string,
  errors: string[],
): void {
  for (const row of records(data.tool_decorators)) {
    if (typeof row.api !== "string") continue;
    rows.decorators.push(
      row.first_param_is_context === true ? { api: row.api, firstParamIsContext: true } : { api: row.api },
    );
  }
  for (const row of records(data.tool_classes)) {
    if (typeof row.base !== "string" || !Array.isArray(row.methods)) {
      errors.push(`${file}: tool class ${JSON.stringify(row)} needs a base and methods`);
      continue;
    }
    const cls: ToolClassRow = { base: row.base, methods: row.methods.map(String) };
    if (row.self_is_message === true) cls.selfIsMessage = true;
    rows.classes.push(cls);
  }
  for (const row of records(data.tool_messages)) {
    if (typeof row.base === "string" && typeof row.request_field === "string")
      rows.messages.push({ base: row.base, requestField: row.request_field });
    else errors.push(`${file}: tool message ${JSON.stringify(row)} needs a base and a request_field`);
  }
  for (const row of records(data.tool_registrations)) {
    if (typeof row.api === "string" && Array.isArray(row.args))
      rows.registrations.push({ api: row.api, args: row.args.filter(isKey) });
    else errors.push(`${file}: tool registration ${JSON.stringify(row)} needs an api and args`);
  }
  const shapes = data.tool_shapes;
  if (typeof shapes === "object" && shapes !== null && !Array.isArray(shapes)) {
    const s = shapes as Record<string, unknown>;
    const out: ToolShapeRows = {};
    if (typeof s.decorators === "string") out.decorators = s.decorators;
    if (typeof s.classes === "string") out.classes = s.classes;
    if (Array.isArray(s.methods)) out.methods = s.methods.map(String);
    if (Array.isArray(s.keywords)) out.keywords = s.keywords.map(String);
    if (typeof s.schema_calls === "string") out.schemaCalls = s.schema_calls;
    rows.shapes = out;
  }
}

const NEVER = /(?!)/;

export function compileToolModels(rows: ToolRows | undefined): CompiledToolModels {
  const decorators = new PathMatcher<ToolDecoratorRow>();
  const classes = new PathMatcher<ToolClassRow>();
  const messages = new PathMatcher<ToolMessageRow>();
  const registrations = new PathMatcher<ToolRegistrationRow>();
  for (const row of rows?.decorators ?? []) decorators.add(row.api, row);
  for (const row of rows?.classes ?? []) classes.add(row.base, row);
  for (const row of rows?.messages ?? []) messages.add(row.base, row);
  for (const row of rows?.registrations ?? []) registrations.add(row.api, row);
  const shapes = rows?.shapes;
  const whole = (pattern: string | undefined) => (pattern ? new RegExp(`^(?:${pattern})$`, "i") : NEVER);
  return {
    decorators,
    classes,
    messages,
    registrations,
    messageBaseNames: new Set((rows?.messages ?? []).map((r) => r.base.split(".").pop() ?? "")),
    requestFields: new Set((rows?.messages ?? []).map((r) => r.requestField)),
    shapes: {
      decorator: whole(shapes?.decorators),
      className: whole(shapes?.classes),
      methods: new Set(shapes?.methods ?? []),
      keywords: new Set(shapes?.keywords ?? []),
      schemaCall: whole(shapes?.schemaCalls),
    },
    cluePaths: [
      ...(rows?.decorators ?? []).map((r) => r.api),
      ...(rows?.classes ?? []).map((r) => r.base),
      ...(rows?.registrations ?? []).map((r) => r.api),
    ],
  };
}

function isKey(value: unknown): value is number | string {
  return typeof value === "number" || typeof value === "string";
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter(
        (v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v),
      )
    : [];
}
