// Where each string of a JSON document starts, in the document's structure. JSON.parse gives values but
// no positions; a notebook's findings must point at the line of the .ipynb that holds the code (that line is
// what GitHub shows, annotates and comments on), so the strings' offsets are read here. The input must have
// passed JSON.parse already: this reader checks nothing and only walks the grammar.

/** A JSON value's shape with, for strings, the offset of the opening quote. */
export type PositionNode =
  | { kind: "object"; members: Map<string, PositionNode> }
  | { kind: "array"; items: PositionNode[] }
  | { kind: "string"; offset: number }
  | { kind: "scalar" };

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/** Positions of the strings of `text`, valid JSON. Throws (RangeError) only on nesting past the stack. */
export function jsonPositions(text: string): PositionNode {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const skipString = () => {
    // at: the opening quote.
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
  };
  const value = (): PositionNode => {
    skipSpace();
    const c = text[at];
    if (c === "{") {
      at++;
      const members = new Map<string, PositionNode>();
      skipSpace();
      while (text[at] !== "}" && at < text.length) {
        const keyStart = at;
        skipString();
        const key = JSON.parse(text.slice(keyStart, at)) as string;
        skipSpace();
        at++; // ':'
        members.set(key, value());
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
      return { kind: "object", members };
    }
    if (c === "[") {
      at++;
      const items: PositionNode[] = [];
      skipSpace();
      while (text[at] !== "]" && at < text.length) {
        items.push(value());
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
      return { kind: "array", items };
    }
    if (c === '"') {
      const offset = at;
      skipString();
      return { kind: "string", offset };
    }
    while (at < text.length && !/[\s,\]}]/.test(text[at] as string)) at++;
    return { kind: "scalar" };
  };
  return value();
}

/**
 * The decoded characters of the JSON string starting at `offset` (its opening quote), each with the offset
 * in `text` of the first raw character that wrote it (`\n` is two raw characters, `\u00e9` six).
 */
export function decodeWithOffsets(text: string, offset: number): { chars: string[]; offsets: number[] } {
  const chars: string[] = [];
  const offsets: number[] = [];
  let at = offset + 1;
  while (at < text.length && text[at] !== '"') {
    const start = at;
    if (text[at] !== "\\") {
      chars.push(text[at] as string);
      at++;
    } else {
      const length = text[at + 1] === "u" ? 6 : 2;
      // One escape decodes to one UTF-16 unit; JSON.parse reads it exactly.
      chars.push(JSON.parse(`"${text.slice(at, at + length)}"`) as string);
      at += length;
    }
    offsets.push(start);
  }
  return { chars, offsets };
}
