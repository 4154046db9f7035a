// The operations routes Probot's server mounts beside the webhook endpoint:
//   /healthz  liveness: the process answers (and how many jobs it has);
//   /readyz   readiness: ready once started, and, when a probe is given (the Redis mode's `PING`), only
//             while the probe passes within its time;
//   /metrics  Prometheus text format.
// The analysis runs on worker threads, so these answer while a pull request is being analysed.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppMetrics } from "./metrics.js";

/** Resolves true when what the App depends on is reachable (a Redis `PING`, ...). */
export type ReadinessProbe = () => Promise<boolean>;

export interface OpsRoutes {
  metrics: AppMetrics;
  /** Extra fields for /healthz (queue counts; a shared queue's are read from Redis, hence a promise). */
  stats?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  ready?: ReadinessProbe;
  /** How long /readyz waits for the probe before answering not ready. */
  probeTimeoutMs?: number;
}

export function opsHandler(routes: OpsRoutes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    switch ((req.url ?? "").split("?")[0]) {
      case "/healthz": {
        // Liveness is this process answering; counts it cannot read (Redis away) are left out, not a 500.
        const stats = await Promise.resolve(routes.stats?.()).catch(() => undefined);
        send(res, 200, "application/json", JSON.stringify({ status: "ok", ...stats }));
        return true;
      }
      case "/readyz": {
        const problem = routes.ready ? await probe(routes.ready, routes.probeTimeoutMs ?? 2000) : undefined;
        if (problem === undefined) send(res, 200, "application/json", JSON.stringify({ status: "ready" }));
        else send(res, 503, "application/json", JSON.stringify({ status: "not ready", reason: problem }));
        return true;
      }
      case "/metrics": {
        const { registry } = routes.metrics;
        send(res, 200, registry.contentType, await registry.metrics());
        return true;
      }
      default:
        return false;
    }
  };
}

/** Undefined when the probe passed; otherwise why not (false, an error, or no answer in time). */
async function probe(ready: ReadinessProbe, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      ready().then(
        (ok) => (ok ? undefined : "probe failed"),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      late,
    ]);
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
}
