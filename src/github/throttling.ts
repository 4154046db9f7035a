// How GitHub calls are spaced. @octokit/plugin-throttling (in Probot's Octokit) keeps Bottleneck groups
// keyed by `throttle.id`: `write` spaces POST/PATCH/PUT/DELETE and every GraphQL request one second apart,
// `global` caps concurrency. Two things in it do not fit a bot that serves many installations:
//
// - Probot sets `id` only on clients from `app.auth(id)`; the client a webhook's `context.octokit` gets is
//   built without one, so every installation shared the key "no-id": one write lane for the whole App.
//   GitHub asks for spacing per installation (its secondary limits are per token), so the id is taken
//   from the installation the client authenticates as.
// - GraphQL queries went through the write lane. GitHub's guidance is to space mutations like writes;
//   queries are reads and need no spacing. The plugin cannot tell them apart (it sees the path only), so
//   each client gets a retry limiter that hands the plugin, for a query, its state with a `write` lane
//   that does not wait. Everything else (secondary-rate-limit retries after `retry-after`, primary rate
//   limits, GraphQL RATE_LIMITED answers) stays the plugin's own.
// - A write that notifies people (a review, a comment) waited for its `write` turn first and its
//   `notifications` turn (three seconds apart) second, so it reached GitHub up to three seconds after its
//   write turn, next to whichever write had the following turn (measured in the load bench: a review and
//   a check-run update of one installation 100 ms apart). Such a write now waits for its notifications
//   turn first and its write turn last, so every write leaves its turn at once and writes stay a second
//   apart; notifying writes stay about three seconds apart (less the wait for the write turn).
//
// With REDIS_URL, Probot hands the plugin a Redis connection and clustering Bottleneck; the groups then
// live in Redis, keyed by the same ids, so the spacing per installation holds across processes.
import Bottleneck from "bottleneck";

/** The key of an installation's lanes; undefined for the App's own (JWT) client. */
export function installationThrottleId(auth: unknown): string | undefined {
  const id = (auth as { installationId?: unknown } | null | undefined)?.installationId;
  return typeof id === "number" || (typeof id === "string" && id !== "") ? String(id) : undefined;
}

/**
 * True for a GraphQL request that only reads: a document with no `mutation` or `subscription` operation.
 * Anything that cannot be read as such (no document, persisted queries) counts as a write.
 */
export function isGraphQLRead(options: { url?: unknown; query?: unknown }): boolean {
  if (typeof options.url !== "string" || !/\/graphql$/.test(options.url.split("?")[0] ?? "")) return false;
  if (typeof options.query !== "string") return false;
  // Strings and comments may say anything; only the document's own words decide.
  const code = options.query
    .replace(/"""[\s\S]*?"""/g, '""')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/#[^\n]*/g, "");
  return !/\b(?:mutation|subscription)\b/.test(code);
}

/** A `write` group whose lanes never wait (what a read is scheduled on). */
const UNSPACED = {
  key: () => ({ schedule: <T>(_options: unknown, task: () => Promise<T>) => task() }),
};

interface Lanes {
  key(id: unknown): { schedule<T>(options: unknown, task: () => Promise<T>): Promise<T> };
}

/** A `write` group that first waits for the installation's notifications turn, then for its write turn. */
function notificationsThenWrite(notifications: Lanes, write: Lanes): Lanes {
  return {
    key: (id) => ({
      schedule: async <T>(options: unknown, task: () => Promise<T>) => {
        await notifications.key(id).schedule({ ...(options as object) }, async () => {});
        return write.key(id).schedule({ ...(options as object) }, task);
      },
    }),
  };
}

/** A request the plugin spaces as a write that notifies (its `triggersNotification` path list). */
function notifyingWrite(state: Record<string, unknown>, options: { method?: unknown; url?: unknown }) {
  if (options.method === "GET" || options.method === "HEAD" || typeof options.url !== "string") return false;
  const triggers = state.triggersNotification;
  if (typeof triggers !== "function") return false;
  return Boolean(triggers(new URL(options.url, "http://github.test").pathname));
}

type DoRequest = (
  state: Record<string, unknown>,
  request: unknown,
  options: { url?: unknown; method?: unknown },
) => unknown;

/**
 * The plugin's per-client retry limiter (`throttle.retryLimiter`): a plain Bottleneck that runs each
 * request (and re-runs it after a rate limit), except that GraphQL reads see an unspaced `write` lane
 * and notifying writes wait for their notifications turn before their write turn.
 */
export class ReadAwareRetryLimiter {
  readonly #limiter = new Bottleneck();

  on(event: string, listener: (...args: never[]) => unknown): void {
    this.#limiter.on(event as "failed", listener as never);
  }

  schedule(
    doRequest: DoRequest,
    state: Record<string, unknown>,
    request: unknown,
    options: { url?: unknown; method?: unknown },
  ) {
    const seen = isGraphQLRead(options)
      ? { ...state, write: UNSPACED }
      : notifyingWrite(state, options) && state.write && state.notifications
        ? {
            ...state,
            write: notificationsThenWrite(state.notifications as Lanes, state.write as Lanes),
            notifications: UNSPACED,
          }
        : state;
    return this.#limiter.schedule(doRequest as never, seen, request, options);
  }
}

/**
 * The throttle options one client is built with: its installation's key and a read-aware limiter of its
 * own. Always a new limiter: Probot builds a webhook's client from the App client's options, and a limiter
 * shared between clients would collect one retry listener per client.
 */
export function perInstallationThrottle(
  throttle: Record<string, unknown>,
  auth: unknown,
): Record<string, unknown> {
  const id = installationThrottleId(auth);
  return {
    ...throttle,
    ...(id === undefined || throttle.id !== undefined ? {} : { id }),
    retryLimiter: new ReadAwareRetryLimiter(),
  };
}
