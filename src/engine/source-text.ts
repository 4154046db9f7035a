// Python source as CPython reads it, before tree-sitter sees it: its line breaks, its byte-order mark, and
// the nesting limits past which CPython refuses a file (so a file past them cannot run, and is not parsed:
// deep nesting is how hostile input exhausts a parser's stack or tree-sitter's scanner state).

/** CPython's tokenizer refuses a 100th level of indentation ("too many levels of indentation"). */
export const MAX_INDENT_LEVELS = 100;
/** CPython's tokenizer refuses a 201st level of open brackets ("too many nested parentheses"). */
export const MAX_BRACKET_DEPTH = 200;

/**
 * Line breaks and BOM the way CPython reads them: a lone `\r` ends a line (tree-sitter only knows `\n`, so
 * code after a lone `\r` would hide inside a comment); `\r\n` stays (tree-sitter counts it as one line);
 * a leading BOM is dropped (CPython's columns do not count it). The result has the same line count and,
 * but for the BOM, the same offsets, so positions match CPython's.
 */
export function pythonSourceText(text: string): string {
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (out.includes("\r")) out = out.replace(/\r(?!\n)/g, "\n");
  return out;
}

/**
 * Why CPython would refuse `text` for nesting, with the line, or undefined. Reads it like the tokenizer:
 * brackets inside strings and comments do not count, and indentation only at the start of logical lines.
 * Linear in the text.
 */
export function nestingBeyondCPython(text: string): { line: number; message: string } | undefined {
  const indents: number[] = [0];
  let depth = 0;
  let line = 1;
  let atLineStart = true;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (atLineStart && depth === 0) {
      atLineStart = false;
      let width = 0;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 32) width++;
        else if (c === 9) width = (Math.floor(width / 8) + 1) * 8;
        else if (c === 12) width = 0;
        else break;
        i++;
      }
      const c = text.charCodeAt(i);
      // Blank and comment-only lines do not indent.
      if (i < n && c !== 10 && c !== 13 && c !== 35) {
        if (width > indents[indents.length - 1]!) {
          indents.push(width);
          if (indents.length > MAX_INDENT_LEVELS) {
            return { line, message: `more than ${MAX_INDENT_LEVELS - 1} levels of indentation (CPython refuses the file)` };
          }
        } else while (indents.length > 1 && width < indents[indents.length - 1]!) indents.pop();
      }
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      // Inside brackets a line break does not start a logical line.
      atLineStart = depth === 0;
      i++;
    } else if (c === 35) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
      if (depth > MAX_BRACKET_DEPTH) {
        return { line, message: `brackets nested more than ${MAX_BRACKET_DEPTH} deep (CPython refuses the file)` };
      }
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
      i++;
    } else if (c === 34 || c === 39) {
      const end = stringEnd(text, i);
      for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
      i = end;
    } else if (c === 92 && text.charCodeAt(i + 1) === 10) {
      // A backslash continuation joins lines: the next is not a new logical line.
      line++;
      i += 2;
    } else i++;
  }
  return undefined;
}

/** The index just past the string literal whose opening quote is at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  const triple = text.charCodeAt(start + 1) === quote && text.charCodeAt(start + 2) === quote;
  let i = start + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
    } else if (c === 10 && !triple) return i;
    i++;
  }
  return i;
}
