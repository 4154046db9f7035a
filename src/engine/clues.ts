// What a file's text must contain before it is worth parsing: the relevance filter's vocabulary.
//
// Parsing is most of an analysis's cost, and on most code most files can hold no finding. A file is read
// as code only (comments and string literals blanked, f-strings kept: their fields are code), then asked
// whether it could reach an API of the models. The questions err on the side of "yes": a clue is
// something every way of writing the call leaves in the file, not proof of a call.

/**
 * The file with comments and the contents of plain string literals removed (docstrings included), so
 * prose such as "never eval user input" is not taken for code. F-strings stay whole. Line structure is
 * not preserved; only the words that remain matter.
 */
export function codeText(text: string): string {
  const pieces: string[] = [];
  let kept = 0;
  let i = 0;
  const length = text.length;
  const special = /[#"']/g;
  while (i < length) {
    special.lastIndex = i;
    const found = special.exec(text);
    if (!found) break;
    const at = found.index;
    if (text.charCodeAt(at) === 35 /* # */) {
      pieces.push(text.slice(kept, at));
      const newline = text.indexOf("\n", at);
      i = kept = newline < 0 ? length : newline;
      continue;
    }
    const end = endOfString(text, at);
    if (isFormatPrefix(text, at)) {
      i = end;
      continue;
    }
    pieces.push(text.slice(kept, at), '""');
    i = kept = end;
  }
  pieces.push(text.slice(kept));
  return pieces.join("");
}

/** Index just past the string literal whose opening quote is at `at` (or the end of an unterminated one). */
function endOfString(text: string, at: number): number {
  const quote = text[at]!;
  const triple = text.startsWith(quote.repeat(3), at);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = at + delimiter.length;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (!triple && ch === 10) return i;
    if (text.startsWith(delimiter, i)) return i + delimiter.length;
    i++;
  }
  return text.length;
}

/** Whether the quote at `at` opens an f-string (`f"`, `rf'`, `Fr"""` ...). */
function isFormatPrefix(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start < 2 && isPrefixLetter(text.charCodeAt(start - 1))) start--;
  // Letters that continue an identifier are not a prefix.
  if (start > 0 && isWordChar(text.charCodeAt(start - 1))) return false;
  for (let i = start; i < at; i++) if ((text.charCodeAt(i) | 0x20) === 102 /* f */) return true;
  return false;
}

function isPrefixLetter(ch: number): boolean {
  const lower = ch | 0x20;
  return lower === 102 /* f */ || lower === 114 /* r */ || lower === 98 /* b */ || lower === 117 /* u */;
}

function isWordChar(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95 || ch > 127;
}

// Modules whose name appears in nearly every file: for their APIs the function's own name is the clue.
const BROAD_MODULES = new Set([
  "builtins",
  "os",
  "asyncio",
  "platform",
  "sys",
  "code",
  "types",
  "commands",
  "http",
]);

import { escapeRegex } from "./regex.js";

const WORD = /\w+/g;
const IMPORT_STATEMENT = /^[ \t]*(?:from|import)\b/;

/**
 * The lines of `code` that are import statements. Found from each `import` word rather than by a
 * multi-line regex tried at every line start: most lines import nothing, and this runs on every file.
 */
function importLines(code: string): string[] {
  const lines: string[] = [];
  // Each line is read once, however many `import` words it holds (a hostile line can hold 100,000).
  for (let at = code.indexOf("import"); at >= 0; ) {
    const start = code.lastIndexOf("\n", at) + 1;
    const newline = code.indexOf("\n", at);
    const end = newline < 0 ? code.length : newline;
    const line = code.slice(start, end);
    if (IMPORT_STATEMENT.test(line)) lines.push(line);
    at = newline < 0 ? -1 : code.indexOf("import", end);
  }
  return lines;
}

/** A file as the relevance filter reads it, computed once and asked by every set of clues. */
export interface CodeView {
  /** See `codeText`. */
  code: string;
  /** The import statements' lines. */
  importLines: readonly string[];
  /** Every word on those lines: the modules (and names) the file imports. */
  importedWords: ReadonlySet<string>;
}

export function readCode(text: string): CodeView {
  const code = codeText(text);
  const lines = importLines(code);
  const importedWords = new Set<string>();
  for (const line of lines) for (const [word] of line.matchAll(WORD)) importedWords.add(word);
  return { code, importLines: lines, importedWords };
}

/**
 * API paths (`pickle.loads`, `os.system`, `code.InteractiveConsole().push`) as clues. A call of one leaves
 * its last name in the file (`loads`, `system`, `push`: the callee as written, or the method called on an
 * object typed elsewhere) and, unless the module is one every file imports, an import of its root module.
 * A file that imports `pickle` only for `pickle.dumps` has no deserialization sink.
 */
export class ApiClues {
  /** Names that are a clue on their own (APIs of broad modules and builtins). */
  private readonly bareNames = new Set<string>();
  /** Root module → the last names of its APIs. */
  private readonly namesByRoot = new Map<string, Set<string>>();
  /** Root module → the dotted heads of its APIs (`metagpt.provider.base_llm.BaseLLM`), for `ownModule`. */
  private readonly headsByRoot = new Map<string, Set<string>>();
  private readonly headless = new Set<string>();
  private bareRegex?: RegExp;
  private readonly rootRegexes = new Map<string, RegExp>();

  /** `requireName`: whether the API's last name must appear too (sinks), or an import suffices (sources). */
  constructor(private readonly requireName: boolean) {}

  add(path: string): void {
    const parts = path.split(/[.()[\]]+/).filter(Boolean);
    const root = parts[0];
    if (!root || root.includes("*")) return;
    const last = parts.length > 1 ? parts.at(-1)! : undefined;
    if (BROAD_MODULES.has(root)) {
      if (last && !last.includes("*")) this.bareNames.add(last);
      return;
    }
    this.addNamed(root, last);
    const head = path.split(/[()[\]]/, 1)[0]!.split(".");
    const wild = head.findIndex((part) => part.includes("*"));
    const heads = this.headsByRoot.get(root) ?? new Set<string>();
    heads.add((wild < 0 ? head : head.slice(0, wild)).join("."));
    this.headsByRoot.set(root, heads);
  }

  /** A method that is an API only where `root` is imported (`df.query` with pandas). */
  addImported(root: string, name: string | undefined): void {
    // Its module is unknown: never taken for the project's own.
    this.headless.add(root);
    this.addNamed(root, name);
  }

  /** Every API of `root` has its module (a prefix of its dotted head) in the project. */
  private heldByProject(root: string, ownModule: (dotted: string) => boolean): boolean {
    if (this.headless.has(root)) return false;
    for (const head of this.headsByRoot.get(root) ?? []) {
      const parts = head.split(".");
      let held = false;
      for (let length = parts.length; length >= 1 && !held; length--)
        held = ownModule(parts.slice(0, length).join("."));
      if (!held) return false;
    }
    return true;
  }

  private addNamed(root: string, name: string | undefined): void {
    const names = this.namesByRoot.get(root) ?? new Set<string>();
    // A name with a wildcard cannot be looked for: the import alone is the clue.
    names.add(name && !name.includes("*") ? name : "*");
    this.namesByRoot.set(root, names);
  }

  /**
   * Whether the file may use one of the APIs. `ownModule` says whether a dotted name is a module of the
   * scanned project, as this file would import it: an API whose module the project holds is its code,
   * interpreted where it is used, so an import of that module is no clue (scanning MetaGPT, a row for
   * MetaGPT's model wrapper would make every file that imports `metagpt` a candidate). Only for APIs
   * added by path, where the module is known.
   */
  matches({ code, importedWords }: CodeView, ownModule?: (dotted: string) => boolean): boolean {
    if (this.bareNames.size > 0) {
      this.bareRegex ??= wordsRegex(this.bareNames);
      if (this.bareRegex.test(code)) return true;
    }
    for (const word of importedWords) {
      const names = this.namesByRoot.get(word);
      if (!names) continue;
      if (ownModule && this.heldByProject(word, ownModule)) continue;
      if (!this.requireName || names.has("*")) return true;
      let regex = this.rootRegexes.get(word);
      if (!regex) {
        regex = wordsRegex(names);
        this.rootRegexes.set(word, regex);
      }
      if (regex.test(code)) return true;
    }
    return false;
  }
}

function wordsRegex(words: ReadonlySet<string>): RegExp {
  return new RegExp(`\\b(?:${[...words].sort().map(escapeRegex).join("|")})\\b`);
}
