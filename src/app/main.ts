// `npm start`: Probot's own runner (environment, setup flow from app.yml, HTTP server) with the App's
// Octokit, whose throttling retries secondary rate limits instead of giving up. SIGTERM and SIGINT stop
// the server gracefully: running jobs get a bounded grace period, then their check runs are completed as
// stopped (./drain.ts), and the process exits.
import { run } from "probot";
import type { Logger } from "probot";
import { RceGuardOctokit } from "../github/octokit.js";
import { drain, graceFromEnv } from "./drain.js";
import { createApp } from "./index.js";
import { describeError } from "./jobs.js";
import { JobQueue } from "./queue.js";

try {
  // Probot reads .env too (inside run); reading it here lets the check below see the same variables.
  process.loadEnvFile();
} catch {
  // No .env file: the environment is all there is.
}
// Probot falls back to the secret "development", which would accept deliveries anyone can sign.
const registered = process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH);
if (registered && !process.env.WEBHOOK_SECRET) {
  console.error("WEBHOOK_SECRET is not set: refusing to start with Probot's development secret.");
  process.exit(1);
}

let queue: JobQueue | undefined;
let log: Logger | undefined;
const server = await run(
  (app, options) => {
    log = app.log;
    queue = new JobQueue({
      onError: (key, error) => app.log.error({ key, ...describeError(error) }, "job crashed"),
    });
    return createApp({ queue })(app, options);
  },
  { Octokit: RceGuardOctokit },
);

// Probot's own SIGINT handler exits as soon as the HTTP server has closed, whatever jobs are running.
process.removeAllListeners("SIGINT");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    const grace = graceFromEnv();
    log?.info({ signal, graceMs: grace.graceMs }, "shutting down: finishing running jobs");
    // Stops listening at once (it resolves only when open connections close, so it is not awaited).
    server.stop().catch(() => {});
    const stopped = queue ? drain(queue, grace) : Promise.resolve({ dropped: [], aborted: [], idle: true });
    void stopped.then((result) => {
      log?.info(result, "stopped");
      process.exit(result.idle ? 0 : 1);
    });
  });
}
