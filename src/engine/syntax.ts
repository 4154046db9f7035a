// A plain-JavaScript copy of tree-sitter's tree, built in one cursor walk.
//
// Why: every property read on a tree-sitter SyntaxNode crosses into the native binding and allocates
// (measured: node access was ~45% of analysis time, parsing itself ~14%). One cursor pass that copies
// type, field and offsets into small objects makes every later read a plain property access, and lets
// the native tree go as soon as the copy exists.
import type Parser from "tree-sitter";

export interface Point {
  row: number;
  column: number;
}

/** Offsets are UTF-16 indexes into the source string (the binding parses strings as UTF-16). */
/** Shared by every leaf: most nodes have no children, and an array each is most of a tree's garbage. */
const NO_CHILDREN: SyntaxNode[] = [];
Object.freeze(NO_CHILDREN);

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  children: readonly SyntaxNode[] = NO_CHILDREN;
  private named?: readonly SyntaxNode[];

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: SourceText,
    readonly isMissing: boolean,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): readonly SyntaxNode[] {
    if (!this.named) {
      const children = this.children;
      this.named = children.every((c) => c.isNamed) ? children : children.filter((c) => c.isNamed);
    }
    return this.named;
  }

  get startPosition(): Point {
    return this.source.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.pointAt(this.endIndex);
  }

  childForFieldName(name: string): SyntaxNode | null {
    for (const child of this.children) if (child.field === name) return child;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === name);
  }

  get previousNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.namedChildren;
    if (!siblings) return null;
    const index = siblings.indexOf(this);
    return index > 0 ? siblings[index - 1]! : null;
  }

  descendantsOfType(type: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [...this.children];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === type) out.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
    return out.reverse();
  }
}

class SourceText {
  private lineStarts?: number[];
  constructor(readonly text: string) {}

  pointAt(index: number): Point {
    const starts = this.lineStarts ?? this.computeLineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: index - starts[low]! };
  }

  private computeLineStarts(): number[] {
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    return starts;
  }
}

// Anonymous tokens the interpreter reads (operators of comparisons, `from` in `yield from`, `async`);
// the rest (brackets, commas, colons) are not copied.
const KEPT_TOKENS = new Set(["from", "async", "not", "in", "is", "<", ">", "==", "!=", "<=", ">=", "<>"]);

export interface CopiedTree {
  root: SyntaxNode;
  firstError?: { line: number; column: number };
  /**
   * Builds a node of this tree again, with its subtree and no parent (see `Regrow`); present when the tree
   * came from the addon's records, which stay off the JavaScript heap.
   */
  regrow?: Regrow;
}

/** The node of type `type` from `start` to `end` of a tree, built again from its records. */
export type Regrow = (start: number, end: number, type: string) => SyntaxNode | undefined;

interface TypeInfo {
  name: string;
  named: boolean;
  /** Tokens and leaves whose children are never needed. */
  skipChildren: boolean;
  keep: boolean;
  /** Brackets and separators: never a field, so the cursor need not be asked. */
  neverField: boolean;
}

const PUNCTUATION = new Set([
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  ".",
  ";",
  "=",
  "->",
  "\\",
  "def",
  "class",
  "return",
  "if",
  "else",
  "elif",
  "for",
  "while",
  "try",
  "except",
  "finally",
  "with",
  "as",
  "import",
  "lambda",
  "pass",
  "raise",
  "del",
  "yield",
  "global",
  "nonlocal",
  "assert",
  "break",
  "continue",
  "await",
]);

// Learnt from the cursor once per numeric id (the grammar is the same for every file).
const TYPES: (TypeInfo | undefined)[] = [];
const FIELD_NAMES: (string | undefined)[] = [];
const LEAVES = new Set([
  "identifier",
  "integer",
  "float",
  "true",
  "false",
  "none",
  "comment",
  "escape_sequence",
  "string_content",
  "string_start",
  "string_end",
  "ellipsis",
  "type_conversion",
]);

function describeType(name: string, named: boolean): TypeInfo {
  return {
    name,
    named,
    skipChildren: !named || LEAVES.has(name),
    keep: name !== "comment" && (named || KEPT_TOKENS.has(name)),
    neverField: !named && PUNCTUATION.has(name),
  };
}

function typeInfo(cursor: Parser.TreeCursor, typeId: number): TypeInfo {
  let info = TYPES[typeId];
  if (!info) {
    info = describeType(cursor.nodeType, cursor.nodeIsNamed);
    TYPES[typeId] = info;
  }
  return info;
}

/**
 * Whether a node is copied, and under which field: the one rule both builders follow. Fields are asked
 * only of nodes that can carry one the interpreter reads (named nodes, and dropped tokens such as a binary
 * operator's `operator`).
 */
function fieldIdToAsk(info: TypeInfo): boolean {
  return !info.neverField && (info.named || !info.keep);
}

export function copyTree(tree: Parser.Tree, text: string): CopiedTree {
  const source = new SourceText(text);
  const cursor = tree.walk();
  const root = new SyntaxNode(cursor.nodeType, true, null, cursor.startIndex, cursor.endIndex, source, false);
  // MISSING nodes exist only in trees with errors; asking every node costs a native call each.
  const mayHaveErrors = tree.rootNode.hasError;
  let firstError: { index: number } | undefined;
  // Copied ancestors of the cursor's position; iterative, so deep nesting cannot overflow the stack.
  const ancestors: SyntaxNode[] = [root];
  if (!cursor.gotoFirstChild()) return finish(root, source, firstError);
  for (;;) {
    const parent = ancestors[ancestors.length - 1]!;
    const info = typeInfo(cursor, cursor.nodeTypeId);
    const fieldId = fieldIdToAsk(info) ? (cursor.currentFieldId ?? 0) : 0;
    const isMissing = mayHaveErrors && cursor.nodeIsMissing;
    let node: SyntaxNode | undefined;
    if (info.keep || fieldId > 0 || isMissing) {
      let field: string | null = null;
      if (fieldId > 0) {
        field = FIELD_NAMES[fieldId] ?? null;
        if (field === null) {
          field = cursor.currentFieldName;
          FIELD_NAMES[fieldId] = field;
        }
      }
      node = new SyntaxNode(
        info.name,
        info.named,
        field,
        cursor.startIndex,
        cursor.endIndex,
        source,
        isMissing,
      );
      node.parent = parent;
      adopt(parent, node);
      if (mayHaveErrors && !firstError && (info.name === "ERROR" || isMissing))
        firstError = { index: node.startIndex };
    }
    // A plain string (no f prefix) needs no children: its text is its value.
    const descend =
      node !== undefined &&
      !info.skipChildren &&
      !(info.name === "string" && !isFormatString(text, node.startIndex));
    if (descend && cursor.gotoFirstChild()) {
      ancestors.push(node!);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return finish(root, source, firstError);
      ancestors.pop();
      if (ancestors.length === 0) return finish(root, source, firstError);
    }
  }
}

/** The addon's record layout (native/tree_export.c): six int32 per visible node, in pre-order. */
const RECORD_SIZE = 6;
const FLAG_NAMED = 1;
const FLAG_MISSING = 2;

export interface ExportedTree {
  records: Int32Array;
  hasError: boolean;
}

/** Names of the language's symbols and fields, as the addon reports them (indexed by id). */
export interface LanguageNames {
  symbols: readonly string[];
  fields: readonly string[];
}

/**
 * The same copy as `copyTree`, built from the addon's flat records instead of a cursor: no native call per
 * node. Children of dropped or leaf nodes are skipped by their descendant count.
 */
export function treeFromRecords(exported: ExportedTree, names: LanguageNames, text: string): CopiedTree {
  const { records } = exported;
  const source = new SourceText(text);
  const root = new SyntaxNode(
    recordType(records[0]!, records[5]!, names).name,
    true,
    null,
    records[2]!,
    records[3]!,
    source,
    false,
  );
  const build: RecordBuild = { records, names, text, source, mayHaveErrors: exported.hasError };
  const firstError = copyDescendants(build, 0, root);
  const tree = finish(root, source, firstError);
  tree.regrow = regrower(build);
  return tree;
}

interface RecordBuild {
  records: Int32Array;
  names: LanguageNames;
  text: string;
  source: SourceText;
  mayHaveErrors: boolean;
}

/**
 * Copies the descendants of record `first` under `top` (already copied). Children of dropped or leaf nodes
 * are skipped by their descendant count. Returns where the first error is, if any.
 */
function copyDescendants(build: RecordBuild, first: number, top: SyntaxNode): { index: number } | undefined {
  const { records, names, text, source, mayHaveErrors } = build;
  let firstError: { index: number } | undefined;
  // Copied ancestors and the index of the last record inside each.
  const ancestors: SyntaxNode[] = [top];
  const lastInside: number[] = [first + records[first * RECORD_SIZE + 4]!];
  let i = first + 1;
  const end = lastInside[0]!;
  while (i <= end) {
    while (i > lastInside[lastInside.length - 1]!) {
      ancestors.pop();
      lastInside.pop();
    }
    const at = i * RECORD_SIZE;
    const info = recordType(records[at]!, records[at + 5]!, names);
    const fieldId = fieldIdToAsk(info) ? records[at + 1]! : 0;
    const isMissing = mayHaveErrors && (records[at + 5]! & FLAG_MISSING) !== 0;
    const descendants = records[at + 4]!;
    let node: SyntaxNode | undefined;
    if (info.keep || fieldId > 0 || isMissing) {
      const field = fieldId > 0 ? (names.fields[fieldId] ?? null) : null;
      node = new SyntaxNode(
        info.name,
        info.named,
        field,
        records[at + 2]!,
        records[at + 3]!,
        source,
        isMissing,
      );
      const parent = ancestors[ancestors.length - 1]!;
      node.parent = parent;
      adopt(parent, node);
      if (mayHaveErrors && !firstError && (info.name === "ERROR" || isMissing))
        firstError = { index: node.startIndex };
    }
    const descend =
      node !== undefined &&
      descendants > 0 &&
      !info.skipChildren &&
      !(info.name === "string" && !isFormatString(text, node.startIndex));
    if (descend) {
      ancestors.push(node!);
      lastInside.push(i + descendants);
      i++;
    } else {
      i += descendants + 1;
    }
  }
  return firstError;
}

/**
 * Finds a node's record by its span and type. Records are in pre-order, so their start offsets never
 * decrease: a binary search finds the first that starts there, and the node is among the few that follow.
 */
function regrower(build: RecordBuild): Regrow {
  return (start, end, type) => {
    const { records, names } = build;
    let low = 0;
    let high = records.length / RECORD_SIZE;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (records[mid * RECORD_SIZE + 2]! < start) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < records.length / RECORD_SIZE; i++) {
      const at = i * RECORD_SIZE;
      if (records[at + 2] !== start) break;
      if (records[at + 3] !== end) continue;
      const info = recordType(records[at]!, records[at + 5]!, names);
      if (info.name !== type) continue;
      const fieldId = fieldIdToAsk(info) ? records[at + 1]! : 0;
      const field = fieldId > 0 ? (names.fields[fieldId] ?? null) : null;
      const isMissing = build.mayHaveErrors && (records[at + 5]! & FLAG_MISSING) !== 0;
      const node = new SyntaxNode(info.name, info.named, field, start, end, build.source, isMissing);
      copyDescendants(build, i, node);
      return node;
    }
    return undefined;
  };
}

// Its own cache, not the cursor's TYPES: the ids are the same, but the names come from another source, and
// the test that compares the two builders would not see a wrong name if they shared one.
const RECORD_TYPES: (TypeInfo | undefined)[] = [];

function recordType(symbol: number, flags: number, names: LanguageNames): TypeInfo {
  let info = RECORD_TYPES[symbol];
  if (!info) {
    // Symbols past the table are tree-sitter's builtin ERROR (65535).
    const name = names.symbols[symbol] ?? "ERROR";
    info = describeType(name, (flags & FLAG_NAMED) !== 0);
    RECORD_TYPES[symbol] = info;
  }
  return info;
}

function adopt(parent: SyntaxNode, child: SyntaxNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else (parent.children as SyntaxNode[]).push(child);
}

function isFormatString(text: string, start: number): boolean {
  for (let i = start; i < start + 3 && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 102 || ch === 70) return true; // f or F
    if (ch === 34 || ch === 39) return false; // quote: the prefix is over
  }
  return false;
}

/** The value of a string literal without interpolation: prefix and quotes stripped, escapes kept as written. */
export function plainStringValue(literal: string): string {
  let i = 0;
  while (i < literal.length && literal[i] !== '"' && literal[i] !== "'") i++;
  const quote =
    literal.slice(i, i + 3) === '"""' || literal.slice(i, i + 3) === "'''"
      ? literal.slice(i, i + 3)
      : (literal[i] ?? "");
  const body = literal.slice(i + quote.length);
  return body.endsWith(quote) ? body.slice(0, body.length - quote.length) : body;
}

function finish(root: SyntaxNode, source: SourceText, firstError: { index: number } | undefined): CopiedTree {
  if (!firstError) return { root };
  const point = source.pointAt(firstError.index);
  return { root, firstError: { line: point.row + 1, column: point.column + 1 } };
}
