// Where a location is, in the words its reader needs: `app/llm.py:12`, or in a Jupyter notebook the cell and
// its line (`analysis.ipynb cell 3 line 8`), since a notebook's own line numbers (of its JSON) mean nothing
// in a notebook editor. Links and annotations still use the file's line (Location.startLine), which GitHub shows.
import type { Location } from "../engine/index.js";

export function placeOf(location: Location, withColumn = false): string {
  const { cell } = location;
  if (cell) {
    return `${location.path} cell ${cell.cell} line ${cell.startLine}${withColumn ? `, column ${cell.startColumn}` : ""}`;
  }
  return `${location.path}:${location.startLine}${withColumn ? `:${location.startColumn}` : ""}`;
}

/** "Cell 3, line 8: " before an annotation's message on a notebook (the annotation sits on the JSON's line). */
export function cellPrefix(location: Location): string {
  return location.cell ? `Cell ${location.cell.cell}, line ${location.cell.startLine}: ` : "";
}
