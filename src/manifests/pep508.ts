// PEP 508 requirement strings (`name[extras] specifier ; marker`), as requirements files, PEP 621 arrays and
// setup.cfg write them.

export interface ParsedRequirement {
  name: string;
  /** `name[extras]` as written. */
  head: string;
  specifier: string;
  marker: string | null;
  /** Offsets inside the requirement string of the name's first character and just past the specifier. */
  start: number;
  end: number;
  directReference: boolean;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

export function parsePep508(text: string): ParsedRequirement | { error: string } {
  const nameMatch = NAME.exec(text);
  if (!nameMatch) return { error: `\`${text.trim()}\` is not a requirement` };
  const name = nameMatch[1] as string;
  const nameStart = nameMatch[0].length - name.length;
  let cursor = nameMatch[0].length;
  const extras = /^\s*\[[^\]]*\]/.exec(text.slice(cursor));
  if (extras) cursor += extras[0].length;
  const head = text.slice(nameStart, cursor);

  const semicolon = text.indexOf(";", cursor);
  const body = semicolon === -1 ? text.slice(cursor) : text.slice(cursor, semicolon);
  const marker = semicolon === -1 ? null : text.slice(semicolon + 1).trim() || null;
  const leading = body.length - body.trimStart().length;
  const specifier = body.trim();
  const end = specifier === "" ? cursor : cursor + leading + specifier.length;
  const directReference = specifier.startsWith("@");
  if (!directReference && specifier !== "" && !/^[(<>=!~]/.test(specifier)) {
    return { error: `\`${text.trim()}\`: expected a version specifier after \`${head}\`` };
  }
  return { name, head, specifier, marker, start: nameStart, end, directReference };
}
