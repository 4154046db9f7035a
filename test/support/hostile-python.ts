// Python a hostile (or unlucky) pull request can contain, made to measure: shared by the engine's tests,
// the fuzz suite and the worst-case bench. Most start with a model call and end with `exec` of its output,
// so the analysis must go all the way through them to report the finding.

export const MODEL_CALL =
  'import openai\nr = openai.OpenAI().chat.completions.create(model="m", messages=[]).choices[0].message.content\n';

const indent = (n: number) => " ".repeat(n);

export const hostile = {
  /** `depth` nested `for` loops with `exec(r)` innermost (on line depth + 3). */
  nestedFor(depth: number): string {
    let s = MODEL_CALL;
    for (let i = 0; i < depth; i++) s += `${indent(i)}for v${i} in range(3):\n`;
    return `${s}${indent(depth)}exec(r)\n`;
  },

  nestedWhile(depth: number): string {
    let s = MODEL_CALL;
    for (let i = 0; i < depth; i++) s += `${indent(i)}while v${i}:\n`;
    return `${s}${indent(depth)}exec(r)\n`;
  },

  /** `depth` nested `if`s with `exec(r)` innermost. */
  nestedIf(depth: number): string {
    let s = MODEL_CALL;
    for (let i = 0; i < depth; i++) s += `${indent(i)}if x${i}:\n`;
    return `${s}${indent(depth)}exec(r)\n`;
  },

  /** if/else nested `depth` deep (the shape that aborted tree-sitter's scanner past ~512 levels). */
  nestedIfElse(depth: number): string {
    let s = MODEL_CALL;
    for (let i = 0; i < depth; i++) s += `${indent(i)}if x:\n`;
    s += `${indent(depth)}pass\n`;
    for (let i = depth - 1; i >= 0; i--) s += `${indent(i)}else:\n${indent(i + 1)}pass\n`;
    return `${s}exec(r)\n`;
  },

  nestedParens(depth: number): string {
    return `${MODEL_CALL}x = ${"(".repeat(depth)}1${")".repeat(depth)}\nexec(r)\n`;
  },

  nestedCalls(depth: number): string {
    return `${MODEL_CALL}x = ${"f(".repeat(depth)}1${")".repeat(depth)}\nexec(r)\n`;
  },

  /** `n` variables, then `n` if blocks assigning model output to them, then `exec(r)`. */
  variablesThenIfs(n: number): string {
    const parts = [MODEL_CALL];
    for (let i = 0; i < n; i++) parts.push(`a${i} = ${i}\n`);
    for (let i = 0; i < n; i++) parts.push(`if a${i}:\n    a${i} = r\n`);
    parts.push("exec(r)\n");
    return parts.join("");
  },

  /** x0 = r; x1 = x0; ... exec(x_n). */
  assignmentChain(n: number): string {
    const parts = [MODEL_CALL, "x0 = r\n"];
    for (let i = 0; i < n; i++) parts.push(`x${i + 1} = x${i}\n`);
    parts.push(`exec(x${n})\n`);
    return parts.join("");
  },

  /** One function of `n` statements. */
  bigFunction(n: number): string {
    const parts = [MODEL_CALL, "def f():\n"];
    for (let i = 0; i < n; i++) parts.push(`    y${i} = ${i}\n`);
    parts.push("    exec(r)\nf()\n");
    return parts.join("");
  },

  /** h0 → h1 → ... → h_n, which runs its argument. */
  helperChain(n: number): string {
    const parts = [MODEL_CALL];
    for (let i = 0; i < n; i++) parts.push(`def h${i}(a):\n    return h${i + 1}(a)\n`);
    parts.push(`def h${n}(a):\n    exec(a)\nh0(r)\n`);
    return parts.join("");
  },

  /** f0 defines f1 ... each calls the next with its argument; the innermost runs it. */
  nestedClosures(depth: number): string {
    let s = MODEL_CALL;
    for (let i = 0; i < depth; i++) s += `${indent(i * 2)}def f${i}(a):\n`;
    s += `${indent(depth * 2)}exec(a)\n`;
    for (let i = depth - 1; i > 0; i--) s += `${indent(i * 2)}f${i}(a)\n`;
    return `${s}f0(r)\n`;
  },

  /** `g = lambda a: lambda a: ... exec(a)`, called all the way in. */
  nestedLambdas(depth: number): string {
    return `${MODEL_CALL}g = ${"lambda a: ".repeat(depth)}exec(a)\ng${"(r)".repeat(depth)}\n`;
  },

  /** One line of `import foo` words, no model call. */
  importWords(n: number): string {
    return `${Array(n).fill("import foo").join(" ")}\n`;
  },

  unclosedClasses(n: number): string {
    return `${MODEL_CALL}${"class A(\n".repeat(n)}`;
  },

  /** `n` functions, each calling the next: a long call graph (not a deep one). */
  functions(n: number): string {
    const parts = [MODEL_CALL];
    for (let i = 0; i < n; i++) parts.push(`def f${i}(a):\n    return a\n`);
    parts.push("x = r\n");
    for (let i = 0; i < n; i++) parts.push(`x = f${i}(x)\n`);
    parts.push("exec(x)\n");
    return parts.join("");
  },

  /** `n` comment lines between two statements (tree-sitter-python's scanner is quadratic on them). */
  commentRun(n: number): string {
    return `${MODEL_CALL}${"# a comment line between statements\n".repeat(n)}exec(r)\n`;
  },

  /** A string literal of `bytes` characters. */
  hugeLiteral(bytes: number): string {
    return `${MODEL_CALL}s = "${"a".repeat(bytes)}"\nexec(r)\n`;
  },
};
