// npm run bench:app:burst — a burst of pull requests across several installations, delivered as signed
// webhooks to the App over loopback, against one fake GitHub server (every repository its own FakeGitHub)
// answering in 50 ms. Production throttling, twice: Probot's stock Octokit ("before": every installation
// in one write lane, GraphQL reads spaced as writes) and the App's ("after": a lane per installation,
// reads unspaced). Reports time from delivery to completed check run (p50/p95/max) and how far apart
// writes were, per installation and across all.
//
//   npm run bench:app:burst -- --installations 10 --prs 5 --modes before,after
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../src/app/index.js";
import { JobQueue } from "../src/app/queue.js";
import { createOctokitClass } from "../src/github/octokit.js";
import { FakeGitHub } from "../test/app/support/fake-github.js";
import { fixture } from "../test/app/support/fixtures.js";
import { pullRequestPayload, testPrivateKey } from "../test/app/support/harness.js";

const { values: args } = parseArgs({
  options: {
    installations: { type: "string", default: "10" },
    prs: { type: "string", default: "5" },
    latency: { type: "string", default: "50" },
    modes: { type: "string", default: "before,after" },
    // "python": each PR adds a module with a finding (analysed on a worker thread); "docs": each PR changes
    // a Markdown file only (the App still starts an analysis thread). "replay": no App, no queue: each
    // delivery replays a job's GitHub calls (create run, list files, GraphQL read, get PR, post review,
    // complete run) on the webhook's own client, so what is measured is the throttling lanes alone.
    change: { type: "string", default: "python" },
  },
});
const INSTALLATIONS = Number(args.installations);
const PRS = Number(args.prs);
const LATENCY_MS = Number(args.latency);
const SECRET = "bench-secret";
const PYTHON = args.change === "python";
const REPLAY = args.change === "replay";

interface Seen {
  at: number;
  method: string;
  installation: number;
  graphql: boolean;
}

/** One loopback server in front of many fakes: REST by `/repos/{owner}/{repo}`, GraphQL by its variables. */
async function serveFakes(fakes: FakeGitHub[], seen: Seen[], t0: () => number) {
  const pick = (path: string, raw: string): FakeGitHub => {
    const rest = /^\/repos\/([^/]+)\/([^/?]+)/.exec(path);
    let owner = rest?.[1];
    let name = rest?.[2];
    if (!rest && raw) {
      const vars = (JSON.parse(raw) as { variables?: { owner?: string; name?: string } }).variables;
      owner = vars?.owner;
      name = vars?.name;
    }
    return fakes.find((f) => f.owner === owner && f.repo === name) ?? fakes[0]!;
  };
  const installationOf = (headers: IncomingHttpHeaders) =>
    Number(/token t-(\d+)/.exec(String(headers.authorization ?? ""))?.[1] ?? 0);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const method = req.method ?? "GET";
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
      if (token) {
        // Tokens name their installation, so each request can be attributed to one.
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ token: `t-${token[1]}`, expires_at: "2999-01-01T00:00:00Z" }));
        return;
      }
      seen.push({
        at: t0(),
        method,
        installation: installationOf(req.headers),
        graphql: path === "/graphql",
      });
      void pick(path, raw)
        .handle(method, req.url ?? "/", raw || undefined, req.headers)
        .then((r) => {
          res.writeHead(r.status, { "content-type": "application/json; charset=utf-8", ...r.headers });
          res.end(JSON.stringify(r.body));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
}

/** A job's GitHub calls in the App's order, without the analysis between them. */
const replayJob = (app: Probot) => {
  app.on("pull_request.opened", (context) => {
    const repo = context.repo();
    const octokit = context.octokit;
    const pull = { ...repo, pull_number: context.payload.pull_request.number };
    void (async () => {
      const run = await octokit.rest.checks.create({
        ...repo,
        name: "RCE Guard",
        head_sha: context.payload.pull_request.head.sha,
        status: "in_progress",
      });
      await octokit.rest.pulls.listFiles({ ...pull, per_page: 100 });
      await octokit.graphql(
        "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id } }",
        { owner: repo.owner, name: repo.repo },
      );
      await octokit.rest.pulls.get(pull);
      await octokit.rest.pulls.createReview({
        ...pull,
        commit_id: context.payload.pull_request.head.sha,
        event: "COMMENT",
        body: "RCE Guard",
      });
      await octokit.rest.checks.update({
        ...repo,
        check_run_id: run.data.id,
        status: "completed",
        conclusion: "success",
        output: { title: "ok", summary: "ok" },
      });
    })();
  });
};

async function burst(mode: "before" | "after") {
  // Delivered round-robin over the installations (a burst across an organisation's repositories), so
  // the jobs running at once belong to different installations.
  const fakes: FakeGitHub[] = [];
  for (let j = 0; j < PRS; j++) {
    for (let i = 0; i < INSTALLATIONS; i++) {
      const fake = new FakeGitHub();
      fake.owner = `org${i + 1}`;
      fake.repo = `repo${j + 1}`;
      fake.installationId = i + 1;
      fake.latencyMs = LATENCY_MS;
      if (PYTHON) {
        fake.setFile("app/__init__.py", "", "");
        fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
        fake.setFile("app/util.py", undefined, "def handler(x):\n    return x + 1\n");
      } else fake.setFile("README.md", "# Hello\n", "# Hello\nmore\n");
      fakes.push(fake);
    }
  }
  const start = performance.now();
  const seen: Seen[] = [];
  const upstream = await serveFakes(fakes, seen, () => performance.now() - start);
  const queue = new JobQueue();
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: SECRET,
    baseUrl: upstream.url,
    log: pino({ level: "silent" }),
    // "before": Probot's Octokit as the App used it (its throttling lanes unchanged).
    Octokit: mode === "before" ? ProbotOctokit : createOctokitClass(),
  });
  await probot.load(REPLAY ? replayJob : createApp({ queue }));
  const middleware = await probot.getNodeMiddleware();
  const server = createServer((req, res) => {
    void Promise.resolve(middleware(req, res)).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  const delivered = new Map<FakeGitHub, number>();
  const acks: number[] = [];
  for (const fake of fakes) {
    const payload = pullRequestPayload("opened", fake);
    const body = JSON.stringify(payload);
    const sent = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    });
    await response.arrayBuffer();
    acks.push(performance.now() - sent);
    delivered.set(fake, sent);
  }
  // Completion times: polled (the fakes only record state), so each is accurate to ~20 ms.
  const completed = new Map<FakeGitHub, number>();
  while (completed.size < fakes.length) {
    await new Promise((r) => setTimeout(r, 20));
    for (const fake of fakes)
      if (!completed.has(fake) && fake.completedRuns.length > 0) completed.set(fake, performance.now());
  }
  await queue.idle();
  server.close();
  upstream.server.close();

  const ttc = fakes.map((f) => (completed.get(f) ?? Number.NaN) - (delivered.get(f) ?? Number.NaN));
  const writes = seen.filter((s) => s.method !== "GET" && !s.graphql);
  const perInstallation = [...new Set(writes.map((w) => w.installation))].flatMap((i) =>
    gaps(writes.filter((w) => w.installation === i).map((w) => w.at)),
  );
  const graphql = seen.filter((s) => s.graphql);
  return {
    mode,
    prs: fakes.length,
    completedRuns: fakes.filter((f) => f.completedRuns.length === 1 && f.checkRuns.size === 1).length,
    ackMaxMs: Math.round(Math.max(...acks)),
    ttcP50: Math.round(percentile(ttc, 50)),
    ttcP95: Math.round(percentile(ttc, 95)),
    ttcMax: Math.round(Math.max(...ttc)),
    wallMs: Math.round(Math.max(...completed.values()) - Math.min(...delivered.values())),
    requests: seen.length,
    writes: writes.length,
    graphql: graphql.length,
    writeGapAllMedian: Math.round(percentile(gaps(writes.map((w) => w.at)), 50)),
    writeGapPerInstallationMedian: Math.round(percentile(perInstallation, 50)),
    graphqlGapAllMedian: Math.round(percentile(gaps(graphql.map((g) => g.at)), 50)),
  };
}

const modes = (args.modes ?? "")
  .split(",")
  .filter((m): m is "before" | "after" => m === "before" || m === "after");
const change = PYTHON
  ? "3 Python files, 1 finding each"
  : REPLAY
    ? "a job's GitHub calls replayed, no analysis"
    : "one Markdown file each, nothing to analyse";
console.log(
  `${INSTALLATIONS} installations × ${PRS} pull requests (${change}), fake GitHub answering in ${LATENCY_MS} ms`,
);
for (const mode of modes) {
  const r = await burst(mode);
  console.log(
    `\n== ${mode === "before" ? "before: Probot's stock lanes" : "after: lanes per installation, reads unspaced"}`,
  );
  console.log(`completed check runs:    ${r.completedRuns}/${r.prs} (one run each)`);
  console.log(`webhook answered:        max ${r.ackMaxMs} ms`);
  console.log(`time to completed run:   p50 ${r.ttcP50} ms, p95 ${r.ttcP95} ms, max ${r.ttcMax} ms`);
  console.log(
    `burst wall time:         ${r.wallMs} ms (${((r.prs / r.wallMs) * 60_000).toFixed(1)} PRs/min)`,
  );
  console.log(`GitHub requests:         ${r.requests} (writes ${r.writes}, GraphQL ${r.graphql})`);
  console.log(
    `median gap between writes: ${r.writeGapAllMedian} ms across all, ${r.writeGapPerInstallationMedian} ms within an installation`,
  );
  console.log(`median gap between GraphQL requests: ${r.graphqlGapAllMedian} ms`);
}
