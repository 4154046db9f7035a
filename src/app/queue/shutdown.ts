// SIGTERM and SIGINT, for both queues (one module, so there is one drain): stop taking webhooks, give the
// running jobs the grace period (RCE_GUARD_DRAIN_MS, 25 s by default, under Kubernetes' 30 s), then exit.
// Durable: jobs still running are put back on the queue and another worker finishes their check runs.
// In process: whatever is still queued or running when the grace period ends is lost (not durable).
import type { Work } from "./work.js";

interface Stoppable {
  stop(): Promise<void>;
}

export function installShutdown(
  server: Stoppable,
  work: Work,
  graceMs: number,
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log.info({ signal, graceMs }, "shutting down: no new webhooks, draining running jobs");
    try {
      // Probot's Server.stop closes the listener; keep-alive sockets would hold it open, so it is not awaited
      // past the grace period either.
      await Promise.race([server.stop().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
      await work.drain(graceMs);
      log.info({ ms: Date.now() - started }, "drained; exiting");
      process.exit(0);
    } catch (error) {
      log.error({ error: String(error) }, "shutdown failed; exiting");
      process.exit(1);
    }
  };
  // Probot's run() registers its own SIGINT handler that exits at once; ours must be the only one.
  process.removeAllListeners("SIGINT");
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
