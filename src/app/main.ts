// `npm start`: Probot's own runner (environment, setup flow from app.yml, HTTP server) with the App's
// Octokit, whose throttling retries secondary rate limits instead of giving up. With REDIS_URL the jobs go
// to the durable queue and `--role web|worker|all` (or RCE_GUARD_ROLE) says what this process does;
// without it they run in this process, as they always have.
// SIGTERM and SIGINT stop the server gracefully (./queue/shutdown.ts): running jobs get a bounded grace
// period; in process their check runs are then completed as stopped (./drain.ts), durable ones re-queued.
import { run } from "probot";
import { RceGuardOctokit } from "../github/octokit.js";
import { createApp } from "./index.js";
import { budgetsFromEnv, warmAnalysisThreads } from "./isolated-analysis.js";
import { DurableWork } from "./queue/durable.js";
import { InProcessWork } from "./queue/in-process.js";
import { installShutdown } from "./queue/shutdown.js";
import { workSettingsFromEnv } from "./queue/settings.js";
import type { Work } from "./queue/work.js";

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

const { settings, problems } = workSettingsFromEnv(process.env, process.argv.slice(2));
for (const problem of problems) console.error(problem);
if (!settings.redisUrl && settings.role !== "all") {
  console.error(
    `--role ${settings.role} needs REDIS_URL (the in-process queue runs web and worker in one process).`,
  );
  process.exit(1);
}
const work: Work = settings.redisUrl
  ? new DurableWork(settings)
  : new InProcessWork({ concurrency: settings.concurrency, announce: true });

const server = await run(createApp({ work, completionRetry: settings.completion }), {
  Octokit: RceGuardOctokit,
});
// A process that analyses starts its analysis threads now rather than in its first jobs.
if (settings.role !== "web") void warmAnalysisThreads(budgetsFromEnv().budgets);
const line = (level: string) => (fields: object, msg: string) =>
  console.log(JSON.stringify({ level, time: Date.now(), name: "rce-guard", ...fields, msg }));
installShutdown(server, work, settings.drainMs, { info: line("info"), error: line("error") });
