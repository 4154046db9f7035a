// npm run bench:app (second part) — the App at organisation scale: 200 pull requests across 20
// installations, delivered within 10 s to one web process, analysed by two worker processes (then by one,
// for comparison), all running src/app/main.ts with the durable queue on a real redis-server, against
// the fake GitHub on loopback answering every request in 50 ms. Production throttling throughout (Probot's
// Octokit, its lanes shared through Redis). Workers run at nice 10, so on a machine they share with the
// web process the webhook answers come first (in production they are separate containers or hosts). Prints how fast deliveries were answered, time from delivery
// to completed check run (p50/p95/max) and throughput, and checks that every run completed exactly once.
import { createHash } from "node:crypto";
import { deliver, GitHubServer, startApp } from "../test/app/support/app-process.js";
import { FakeGitHub } from "../test/app/support/fake-github.js";
import { fixture } from "../test/app/support/fixtures.js";
import { pullRequestPayload } from "../test/app/support/harness.js";
import { startRedis } from "../test/app/support/redis-server.js";

const PRS = Number(process.env.BENCH_PRS ?? 200);
const INSTALLATIONS = 20;
const WINDOW_MS = 10_000;
const LATENCY_MS = 50;
const GIVE_UP_MS = Number(process.env.BENCH_GIVE_UP_MS ?? 10 * 60_000);
/** Workers share this machine's cores with the web process: they run below it, as separate hosts would. */
const WORKER_NICE = 10;

function pullRequests(): FakeGitHub[] {
  return Array.from({ length: PRS }, (_, i) => {
    const fake = new FakeGitHub();
    const installation = i % INSTALLATIONS;
    fake.owner = `org-${installation}`;
    fake.repo = `service-${i}`;
    fake.installationId = installation + 1;
    fake.headSha = createHash("sha1").update(`head ${i}`).digest("hex");
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.setFile(
      `app/handler_${i}.py`,
      undefined,
      `def handle_${i}(event):\n    return event["id"] + ${i}\n`,
    );
    return fake;
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

async function scenario(workers: number) {
  const redis = await startRedis();
  const fakes = pullRequests();
  const github = new GitHubServer(fakes);
  github.latencyMs = LATENCY_MS;
  await github.listen();
  const env = { LOG_LEVEL: "warn" };
  const processes = [await startApp({ role: "web", github, redisUrl: redis.url, env })];
  for (let i = 0; i < workers; i++)
    processes.push(await startApp({ role: "worker", github, redisUrl: redis.url, env, nice: WORKER_NICE }));
  const web = processes[0]!;
  try {
    const sent: number[] = [];
    const answered: number[] = [];
    const statuses: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      fakes.map(async (fake, i) => {
        await new Promise((r) => setTimeout(r, (i * WINDOW_MS) / PRS));
        sent[i] = performance.now();
        const r = await deliver(web, "pull_request", pullRequestPayload("opened", fake));
        answered[i] = r.ms;
        statuses[i] = r.status;
      }),
    );
    const deliveredIn = performance.now() - t0;
    const done: number[] = [];
    while (done.filter((d) => d !== undefined).length < PRS && performance.now() - t0 < GIVE_UP_MS) {
      const now = performance.now();
      fakes.forEach((fake, i) => {
        if (done[i] !== undefined || fake.checkRuns.size === 0) return;
        if ([...fake.checkRuns.values()].every((r) => r.status === "completed")) done[i] = now;
      });
      await new Promise((r) => setTimeout(r, 100));
    }
    const times = fakes.map((_, i) => (done[i] === undefined ? Number.NaN : done[i]! - sent[i]!));
    const completed = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
    const acks = [...answered].sort((a, b) => a - b);
    const runs = fakes.reduce((n, f) => n + f.checkRuns.size, 0);
    const reviews = fakes.reduce((n, f) => n + f.reviews.length, 0);
    const lastDone = Math.max(...done.filter((d) => d !== undefined));
    return {
      workers,
      deliveredInS: deliveredIn / 1000,
      non2xx: statuses.filter((s) => s < 200 || s >= 300).length,
      ackP50: quantile(acks, 0.5),
      ackP95: quantile(acks, 0.95),
      ackMax: acks.at(-1) ?? Number.NaN,
      completed: completed.length,
      runs,
      reviews,
      ttcP50: quantile(completed, 0.5) / 1000,
      ttcP95: quantile(completed, 0.95) / 1000,
      ttcMax: (completed.at(-1) ?? Number.NaN) / 1000,
      throughput: completed.length / ((lastDone - t0) / 1000),
      requests: fakes.reduce((n, f) => n + f.requests.length, 0),
    };
  } finally {
    await Promise.all(processes.map((p) => p.kill("SIGKILL")));
    await github.close();
    await redis.stop();
  }
}

const f = (n: number, digits = 1) => n.toFixed(digits);
for (const workers of (process.env.BENCH_WORKERS ?? "2,1").split(",").map(Number)) {
  const r = await scenario(workers);
  console.log(
    `\n== durable queue: 1 web + ${workers} worker process${workers > 1 ? "es" : ""}, ${PRS} PRs across ${INSTALLATIONS} installations, GitHub answering in ${LATENCY_MS} ms`,
  );
  console.log(
    `deliveries:   ${PRS} in ${f(r.deliveredInS)} s; answered p50 ${f(r.ackP50)} ms, p95 ${f(r.ackP95)} ms, max ${f(r.ackMax)} ms; non-2xx ${r.non2xx}`,
  );
  console.log(
    `check runs:   ${r.completed}/${PRS} completed; ${r.runs} created, ${r.reviews} reviews (expected ${PRS} and ${PRS})`,
  );
  console.log(
    `delivery → completed run: p50 ${f(r.ttcP50)} s, p95 ${f(r.ttcP95)} s, max ${f(r.ttcMax)} s; throughput ${f(r.throughput, 2)} PRs/s`,
  );
  console.log(`GitHub requests: ${r.requests} (${f(r.requests / PRS)} per PR)`);
}
