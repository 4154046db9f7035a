// A scope's variables with an undo journal, so that branches and loop passes cost what they change, not
// the size of the scope. Copying the whole map at every `if` made N variables followed by N `if` blocks
// quadratic (8,000 of each took 90 s).
import { joinValues, type Taint, type Value } from "./values.js";

/** The variables a branch changed, with their values at its end (undefined: deleted). */
export type Changes = Map<string, Value | undefined>;

export class JournaledVars extends Map<string, Value> {
  /** (name, value before the write) for every write since the oldest open mark. */
  #journal: [string, Value | undefined][] = [];
  #openMarks = 0;
  /** Dotted names (`self.x`, fields recorded for an object) by their first part, to forget them in O(fields). */
  #fieldsByRoot = new Map<string, Set<string>>();

  override set(name: string, value: Value): this {
    if (this.#openMarks > 0) this.#journal.push([name, super.get(name)]);
    return this.#write(name, value);
  }

  override delete(name: string): boolean {
    if (!super.has(name)) return false;
    if (this.#openMarks > 0) this.#journal.push([name, super.get(name)]);
    return this.#remove(name);
  }

  /** The dotted names recorded under `root` (`root.x`, `root.x.y`). */
  fieldsOf(root: string): readonly string[] {
    const fields = this.#fieldsByRoot.get(root);
    return fields ? [...fields] : [];
  }

  #write(name: string, value: Value): this {
    const dot = name.indexOf(".");
    if (dot > 0 && !super.has(name)) {
      const root = name.slice(0, dot);
      const fields = this.#fieldsByRoot.get(root);
      if (fields) fields.add(name);
      else this.#fieldsByRoot.set(root, new Set([name]));
    }
    return super.set(name, value);
  }

  #remove(name: string): boolean {
    const dot = name.indexOf(".");
    if (dot > 0) this.#fieldsByRoot.get(name.slice(0, dot))?.delete(name);
    return super.delete(name);
  }

  override clear(): void {
    for (const name of [...this.keys()]) this.delete(name);
  }

  /** Starts recording; `rollBack`/`close` take the mark back. */
  mark(): number {
    this.#openMarks++;
    return this.#journal.length;
  }

  /** The current value of every variable written since `mark`. */
  changesSince(mark: number): Changes {
    const changes: Changes = new Map();
    for (let i = mark; i < this.#journal.length; i++) {
      const name = this.#journal[i]![0];
      if (!changes.has(name)) changes.set(name, super.get(name));
    }
    return changes;
  }

  /** Undoes every write since `mark` (the mark stays open). */
  rollBack(mark: number): void {
    for (let i = this.#journal.length - 1; i >= mark; i--) {
      const [name, previous] = this.#journal[i]!;
      if (previous === undefined) this.#remove(name);
      else this.#write(name, previous);
    }
    this.#journal.length = mark;
  }

  /** Closes `mark`, keeping the current values (recorded in an enclosing mark's journal, if any). */
  close(_mark: number): void {
    this.#openMarks--;
    if (this.#openMarks === 0) this.#journal.length = 0;
  }

  /**
   * Rolls back to `mark`, then sets each variable some way of arriving changed to the join of its value on
   * every way: its value there if that way changed it, else its value at the mark. No way at all (every
   * branch left) keeps the state at the mark. The mark stays open. Returns whether any variable now differs
   * from its value at the mark (see `sameAbstractValue`).
   */
  joinInto(mark: number, ways: readonly Changes[]): boolean {
    this.rollBack(mark);
    if (ways.length === 0) return false;
    const names = new Set<string>();
    for (const way of ways) for (const name of way.keys()) names.add(name);
    let changed = false;
    for (const name of names) {
      let joined: Value | undefined;
      const before = super.get(name);
      for (const way of ways) joined = joinOptional(joined, way.has(name) ? way.get(name) : before);
      if (joined === before) continue;
      if (joined === undefined) this.delete(name);
      else this.set(name, joined);
      if (!sameAbstractValue(joined, before)) changed = true;
    }
    return changed;
  }

  /** `joinInto`, then `close`. */
  mergeAndClose(mark: number, ways: readonly Changes[]): boolean {
    const changed = this.joinInto(mark, ways);
    this.close(mark);
    return changed;
  }
}

function joinOptional(a: Value | undefined, b: Value | undefined): Value | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return joinValues(a, b);
}

/**
 * Whether two values are the same to the analysis: same identity facts and taints from the same origins
 * (trace steps aside). A loop whose pass changed nothing in this sense has reached its fixed point.
 */
export function sameAbstractValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.path === b.path &&
    a.literal === b.literal &&
    a.fn === b.fn &&
    a.cls === b.cls &&
    a.instance === b.instance &&
    a.module === b.module &&
    a.verdict === b.verdict &&
    a.filePath === b.filePath &&
    a.constant === b.constant &&
    (a.items?.length ?? -1) === (b.items?.length ?? -1) &&
    sameOrigins(a.taints, b.taints)
  );
}

function sameOrigins(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((t) =>
    y.some(
      (u) =>
        u.kind === t.kind && u.param === t.param && u.origin === t.origin && u.pendingPath === t.pendingPath,
    ),
  );
}
