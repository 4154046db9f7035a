// npm run bench:app — a simulated 100-file pull request (10 findings) against a local fake GitHub that
// takes 50 ms per request. Prints the number of GitHub requests, the webhook acknowledgement time and
// the time from webhook to completed check run, with production throttling (writes and GraphQL spaced
// 1 s apart per installation, as Probot's Octokit does) and without it (raw pipeline cost).
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot } from "probot";
import { createApp } from "../src/app/index.js";
import { JobQueue } from "../src/app/queue.js";
import { createOctokitClass } from "../src/github/octokit.js";
import { FakeGitHub } from "../test/app/support/fake-github.js";
import { fixture } from "../test/app/support/fixtures.js";
import { fastThrottleGroups, pullRequestPayload, testPrivateKey } from "../test/app/support/harness.js";

const FILES = 100;
const FINDINGS = 10;
const LATENCY_MS = 50;
const SECRET = "bench-secret";

async function once(throttled: boolean) {
  const fake = new FakeGitHub();
  fake.latencyMs = LATENCY_MS;
  fake.setFile("pkg/__init__.py", "", "");
  for (let i = 0; i < FILES; i++) {
    const text =
      i < FINDINGS
        ? fixture("llm_exec.py").replace("def run", `def run_${i}`)
        : `from pkg import util_${(i + 1) % FILES}\n\ndef handler_${i}(x):\n    return x + ${i}\n`;
    fake.setFile(`pkg/util_${i}.py`, undefined, text);
  }
  const upstream = await fake.listen();
  const queue = new JobQueue();
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: SECRET,
    baseUrl: upstream.url,
    log: pino({ level: "silent" }),
    Octokit: createOctokitClass(throttled ? {} : { throttleGroups: fastThrottleGroups() }),
  });
  await probot.load(createApp({ queue }));
  const middleware = await probot.getNodeMiddleware();
  const server = createServer((req, res) => {
    void Promise.resolve(middleware(req, res)).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  const body = JSON.stringify(pullRequestPayload("opened", fake));
  const started = performance.now();
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
  const acked = performance.now();
  await queue.idle();
  const done = performance.now();

  const run = fake.completedRuns[0];
  const result = {
    mode: throttled ? "production throttling" : "no throttle spacing",
    status: response.status,
    requests: fake.requests.length,
    graphql: fake.requests.filter((r) => r.path === "/graphql").length,
    findings: run?.annotations.length ?? 0,
    conclusion: run?.conclusion,
    ackMs: Math.round(acked - started),
    completedMs: Math.round(done - started),
    calls: fake.calls,
  };
  server.close();
  await upstream.close();
  return result;
}

for (const throttled of [true, false]) {
  const r = await once(throttled);
  console.log(`\n== ${r.mode} (${FILES} files, ${LATENCY_MS} ms per GitHub request)`);
  console.log(`webhook answered: HTTP ${r.status} in ${r.ackMs} ms`);
  console.log(`GitHub requests:  ${r.requests} (of which GraphQL: ${r.graphql})`);
  console.log(`findings:         ${r.findings} (conclusion ${r.conclusion})`);
  console.log(`webhook → completed check run: ${r.completedMs} ms`);
  if (throttled) console.log(`requests:\n  ${r.calls.join("\n  ")}`);
}
