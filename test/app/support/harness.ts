// Drives the real App (Probot + createApp) against FakeGitHub through nock at the HTTP edge.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import Bottleneck from "bottleneck";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
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
    const file = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
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
  /** Delivers a webhook the way Probot's middleware would after verifying it, then waits for the jobs. */
  deliver(name: string, payload: Record<string, unknown>): Promise<void>;
}

export async function setupApp(fake = new FakeGitHub()): Promise<Harness> {
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
  });
  await probot.load(createApp({ queue }));
  interceptGitHub(fake);
  return {
    fake,
    queue,
    probot,
    logs,
    async deliver(name, payload) {
      await probot.receive({ id: randomUUID(), name, payload } as Parameters<Probot["receive"]>[0]);
      await queue.idle();
    },
  };
}

export function interceptGitHub(fake: FakeGitHub): void {
  nock.disableNetConnect();
  const scope = nock("https://api.github.com").persist();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    scope.intercept(/.*/, method).reply(function (uri, requestBody, callback) {
      const raw = typeof requestBody === "string" ? requestBody : JSON.stringify(requestBody);
      fake
        .handle(method, uri, raw || undefined, this.req.headers)
        .then((r) => callback(null, [r.status, JSON.stringify(r.body), { "content-type": "application/json", ...r.headers }]))
        .catch((error: Error) => callback(error, [500, ""]));
    });
  }
}

/** A pull_request payload matching FakeGitHub's repository, head and base. */
export function pullRequestPayload(action: string, fake: FakeGitHub, overrides: { draft?: boolean } = {}): Payload {
  const payload = example("pull_request", action === "edited" ? "opened" : action);
  payload.action = action;
  payload.number = fake.prNumber;
  payload.pull_request.number = fake.prNumber;
  payload.pull_request.head.sha = fake.headSha;
  payload.pull_request.base.sha = fake.baseSha;
  payload.pull_request.draft = overrides.draft ?? false;
  payload.installation = { id: fake.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}
