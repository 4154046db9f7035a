// Drives the real App (Probot + createApp) against FakeGitHub through nock at the HTTP edge.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import Bottleneck from "bottleneck";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import type { Limits } from "../../../src/app/analyze-change.js";
import { createApp } from "../../../src/app/index.js";
import { JobQueue } from "../../../src/app/queue.js";
import { createOctokitClass } from "../../../src/github/octokit.js";
import { FakeGitHub } from "./fake-github.js";

export const WEBHOOK_SECRET = "test-webhook-secret";

let privateKey: string | undefined;
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return privateKey;
}

/** Throttling lanes without the production spacing (1 s between writes), so tests stay fast. */
export function fastThrottleGroups(): Record<string, unknown> {
  const group = () => new Bottleneck.Group({ maxConcurrent: 10 });
  return { global: group(), write: group(), notifications: group(), search: group(), auth: group() };
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit real webhook payloads field by field.
export type Payload = Record<string, any>;

type Example = { action?: string; installation?: unknown; [key: string]: unknown };
let examples: { name: string; examples: Example[] }[] | undefined;

/** A deep copy of a real payload from @octokit/webhooks-examples (one carrying an installation). */
export function example(name: string, action: string): Payload {
  if (!examples) {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/webhooks-examples/api.github.com/index.json",
    );
    examples = JSON.parse(readFileSync(file, "utf8"));
  }
  const found = examples
    ?.find((e) => e.name === name)
    ?.examples.find((e) => e.action === action && e.installation !== undefined);
  if (!found) throw new Error(`no ${name}.${action} example with an installation`);
  return structuredClone(found) as Payload;
}

export interface Harness {
  fake: FakeGitHub;
  queue: JobQueue;
  probot: Probot;
  logs: string[];
  /** Routes the App added (`/healthz`), served by `serveHttp` ahead of the webhook middleware. */
  handlers: ((req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>)[];
  /** Delivers a webhook the way Probot's middleware would after verifying it, then waits for the jobs. */
  deliver(name: string, payload: Record<string, unknown>): Promise<void>;
}

export interface SetupOptions {
  limits?: Limits;
  /** More repositories, each its own fake, served alongside `fake` (routed by owner/repo). */
  others?: FakeGitHub[];
  /** GitHub's API address (a GitHub Enterprise Server's `https://HOST/api/v3`); api.github.com by default. */
  baseUrl?: string;
}

export async function setupApp(fake = new FakeGitHub(), options: SetupOptions = {}): Promise<Harness> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const queue = new JobQueue();
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: WEBHOOK_SECRET,
    log: pino({ level: "trace" }, stream),
    Octokit: createOctokitClass({ retryAfterBaseValue: 1, throttleGroups: fastThrottleGroups() }),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const handlers: Harness["handlers"] = [];
  await probot.load(createApp({ queue, ...(options.limits ? { limits: options.limits } : {}) }), {
    cwd: process.cwd(),
    addHandler: (handler) => handlers.push(handler as Harness["handlers"][number]),
  });
  if (options.others?.length) interceptGitHubMany([fake, ...options.others]);
  else interceptGitHub(fake, options.baseUrl && new URL(options.baseUrl).origin);
  return {
    fake,
    queue,
    probot,
    logs,
    handlers,
    async deliver(name, payload) {
      await probot.receive({ id: randomUUID(), name, payload } as Parameters<Probot["receive"]>[0]);
      await queue.idle();
    },
  };
}

export function interceptGitHub(fake: FakeGitHub, origin = "https://api.github.com"): void {
  nock.disableNetConnect();
  const scope = nock(origin).persist();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    scope.intercept(/.*/, method).reply(function (uri, requestBody, callback) {
      const raw = typeof requestBody === "string" ? requestBody : JSON.stringify(requestBody);
      fake
        .handle(method, uri, raw || undefined, this.req.headers)
        .then((r) =>
          callback(null, [
            r.status,
            JSON.stringify(r.body),
            { "content-type": "application/json", ...r.headers },
          ]),
        )
        .catch((error: Error) => callback(error, [500, ""]));
    });
  }
}

/** Several fakes behind one api.github.com: REST by the `/repos/{owner}/{repo}` prefix, GraphQL by its variables. */
export function interceptGitHubMany(fakes: FakeGitHub[]): void {
  nock.disableNetConnect();
  const pick = (uri: string, raw: string): FakeGitHub => {
    const rest = /^\/repos\/([^/]+)\/([^/?]+)/.exec(new URL(uri, "https://api.github.com").pathname);
    let owner = rest?.[1];
    let name = rest?.[2];
    if (!rest && raw) {
      try {
        const vars = (JSON.parse(raw) as { variables?: { owner?: string; name?: string } }).variables;
        owner = vars?.owner;
        name = vars?.name;
      } catch {
        // Not JSON: the first fake answers.
      }
    }
    return fakes.find((f) => f.owner === owner && f.repo === name) ?? fakes[0]!;
  };
  const scope = nock("https://api.github.com").persist();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    scope.intercept(/.*/, method).reply(function (uri, requestBody, callback) {
      const raw = typeof requestBody === "string" ? requestBody : JSON.stringify(requestBody);
      pick(uri, raw)
        .handle(method, uri, raw || undefined, this.req.headers)
        .then((r) =>
          callback(null, [
            r.status,
            JSON.stringify(r.body),
            { "content-type": "application/json", ...r.headers },
          ]),
        )
        .catch((error: Error) => callback(error, [500, ""]));
    });
  }
}

/** Serves the App over loopback as Probot's server does: its routes, then the webhook middleware. */
export async function serveHttp(harness: Harness): Promise<{ base: string; server: Server }> {
  const middleware = await harness.probot.getNodeMiddleware();
  const server = createServer((req, res) => {
    void (async () => {
      for (const handler of harness.handlers) if (await handler(req, res)) return;
      if (!(await middleware(req, res))) res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  nock.enableNetConnect("127.0.0.1");
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A pull_request payload matching FakeGitHub's repository, head and base. */
export function pullRequestPayload(
  action: string,
  fake: FakeGitHub,
  overrides: { draft?: boolean } = {},
): Payload {
  const payload = example("pull_request", action === "edited" ? "opened" : action);
  payload.action = action;
  payload.number = fake.prNumber;
  payload.pull_request.number = fake.prNumber;
  payload.pull_request.head.sha = fake.headSha;
  payload.pull_request.base.sha = fake.baseSha;
  payload.pull_request.draft = overrides.draft ?? false;
  payload.installation = { id: fake.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  payload.repository.owner.login = fake.owner;
  payload.repository.name = fake.repo;
  payload.repository.full_name = `${fake.owner}/${fake.repo}`;
  payload.repository.html_url = `https://github.com/${fake.owner}/${fake.repo}`;
  payload.pull_request.html_url = `${payload.repository.html_url}/pull/${fake.prNumber}`;
  return payload;
}
