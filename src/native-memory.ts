// When trees come through the tree-sitter binding (the fallback when native/ is not built), they live in
// native memory that V8 does not see: a tree is freed only after a garbage collection finds its wrapper
// dead and the event loop turns to run the finalizer. During a long scan V8 feels no pressure to collect,
// so native memory grows with the bytes parsed (measured: about 1 GB for the Python standard library).
// The adapters pause the analysis every few megabytes with this. The native export frees each tree
// before it returns, so then a pause only lets the event loop turn.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { treeSource } from "./engine/index.js";

let collect: (() => void) | undefined;

function garbageCollector(): () => void {
  if (!collect) {
    // The documented way to reach V8's collector without starting node with --expose-gc.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  return collect;
}

/** Collects garbage, then lets the event loop turn so native finalizers run. */
export async function releaseNativeMemory(): Promise<void> {
  if (treeSource === "cursor walk") garbageCollector()();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
