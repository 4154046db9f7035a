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
  return leadingFormFeedMoved(out);
}

/**
 * A form feed before the first token of a file makes tree-sitter-python drop the line without an error
 * (CPython just resets the indentation there). The whitespace is moved to the end of that line's code, so
 * offsets and other lines stay as they are; only columns on that one line move left.
 */
function leadingFormFeedMoved(text: string): string {
  const lead = /^[ \t\f]*\f[ \t\f]*/.exec(text);
  if (!lead) return text;
  const newline = text.indexOf("\n");
  const lineEnd =
    newline < 0 ? text.length : newline > 0 && text[newline - 1] === "\r" ? newline - 1 : newline;
  const line = text.slice(lead[0].length, lineEnd);
  if (line.trim() === "" || line.trimStart().startsWith("#")) return text;
  // Before a comment or a line continuation, so that neither changes meaning.
  const hash = line.indexOf("#");
  let at = hash >= 0 ? hash : line.length;
  if (line.slice(0, at).trimEnd().endsWith("\\")) at = line.slice(0, at).trimEnd().length - 1;
  return `${line.slice(0, at)}${" ".repeat(lead[0].length)}${line.slice(at)}${text.slice(lineEnd)}`;
}

/**
 * The text tree-sitter parses: comment-only lines blanked to spaces (same length, so every offset and
 * position stays). tree-sitter-python's scanner looks ahead over all following comment lines at each of
 * them, so a run of comment lines between statements parses in quadratic time (6,400 lines: 5 s; 2 MiB:
 * minutes, in one native call no budget can interrupt). The engine keeps no comment nodes, so nothing
 * else changes. Lines inside strings are left alone.
 */
export function withCommentLinesBlanked(text: string): string {
  if (!text.includes("#")) return text;
  const n = text.length;
  let out: string[] | undefined;
  let copiedTo = 0;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 12))
        j++;
      if (text.charCodeAt(j) === 35) {
        let end = text.indexOf("\n", j);
        if (end < 0) end = n;
        if (end > j && text.charCodeAt(end - 1) === 13) end--;
        out ??= [];
        out.push(text.slice(copiedTo, j), " ".repeat(end - j));
        copiedTo = end;
        i = end;
        continue;
      }
      i = j;
      continue;
    }
    if (c === 10) {
      lineStart = true;
      i++;
    } else if (c === 35) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
    } else if (c === 34 || c === 39) {
      i = stringEnd(text, i);
    } else i++;
  }
  if (!out) return text;
  out.push(text.slice(copiedTo));
  return out.join("");
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
            return {
              line,
              message: `more than ${MAX_INDENT_LEVELS - 1} levels of indentation (CPython refuses the file)`,
            };
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
        return {
          line,
          message: `brackets nested more than ${MAX_BRACKET_DEPTH} deep (CPython refuses the file)`,
        };
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
