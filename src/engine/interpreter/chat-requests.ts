// Chat APIs called over raw HTTP. A request whose JSON body has the keys of a chat API's request
// (`{"model": ..., "messages": [...]}`: `llm_http_bodies` in the models) asks a model, wherever its URL comes
// from (a configuration value, a table of endpoints, a proxy's address): the response is model output. The
// dict display that builds such a body is marked (values.ts, `chatRequest`), and the mark travels with the
// value (returned from a helper, unpacked from a tuple) to the HTTP call that sends it.
import type { Interpreter } from "../interpreter.js";
import type { Value } from "../values.js";
import type { Arguments } from "./state.js";

/** Whether a dict display with these literal keys is a chat API's request body. */
export function isChatRequestBody(it: Interpreter, keys: ReadonlySet<string>): boolean {
  return it.models.llmBodies.keySets.some((set) => set.length > 0 && set.every((key) => keys.has(key)));
}

/** The keys of a dict display's pairs that are string literals. */
export function literalKeys(entries: readonly { key: Value }[]): Set<string> {
  const keys = new Set<string>();
  for (const { key } of entries) if (typeof key.literal === "string") keys.add(key.literal);
  return keys;
}

/** An HTTP call's body (`json=`, `data=`, httpx's `content=`, or `data` by position) is a chat request. */
export function sendsChatRequest(args: Arguments): boolean {
  for (const name of ["json", "data", "content"]) if (args.keywords.get(name)?.value.chatRequest) return true;
  return args.positional[1]?.value.chatRequest === true;
}
