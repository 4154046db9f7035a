// The check runs the durable queue's jobs created and have not completed yet, in Redis: a retried or
// recovered job finishes its run instead of creating a second one, and the sweeper (./sweeper.ts) finds
// runs whose job is gone. One hash of records and one sorted set of deadlines, both keyed by member
// `<owner>/<repo>@<head sha>#<external id>`.
import type { Redis } from "ioredis";
import type { RepoRef } from "../../github/contents.js";

export interface RunRecord {
  installationId: number;
  repo: RepoRef;
  headSha: string;
  externalId: string;
  checkRunId: number;
  /** The queue's job id (repository + head SHA). */
  jobKey: string;
  createdAt: number;
}

export class RunLedger {
  readonly #redis: Redis;
  readonly #records: string;
  readonly #deadlines: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#records = `${prefix}:runs`;
    this.#deadlines = `${prefix}:run-deadlines`;
  }

  static member(jobKey: string, externalId: string): string {
    return `${jobKey}#${externalId}`;
  }

  async get(jobKey: string, externalId: string): Promise<RunRecord | undefined> {
    const raw = await this.#redis.hget(this.#records, RunLedger.member(jobKey, externalId));
    return raw ? (JSON.parse(raw) as RunRecord) : undefined;
  }

  /** Every open run of one job (a re-run may have created one under another external id). */
  async forJob(jobKey: string): Promise<RunRecord[]> {
    const all = await this.#redis.hgetall(this.#records);
    return Object.entries(all)
      .filter(([member]) => member.startsWith(`${jobKey}#`))
      .map(([, raw]) => JSON.parse(raw) as RunRecord);
  }

  async record(run: RunRecord, deadline: number): Promise<void> {
    const member = RunLedger.member(run.jobKey, run.externalId);
    await this.#redis
      .multi()
      .hset(this.#records, member, JSON.stringify(run))
      .zadd(this.#deadlines, deadline, member)
      .exec();
  }

  /** A new attempt started on the job: its runs get a fresh deadline. */
  async extend(jobKey: string, deadline: number): Promise<void> {
    for (const run of await this.forJob(jobKey))
      await this.#redis.zadd(this.#deadlines, "XX", deadline, RunLedger.member(jobKey, run.externalId));
  }

  async remove(jobKey: string, externalId: string): Promise<void> {
    const member = RunLedger.member(jobKey, externalId);
    await this.#redis.multi().hdel(this.#records, member).zrem(this.#deadlines, member).exec();
  }

  /** Runs past their deadline, oldest first. */
  async due(now: number, limit = 50): Promise<RunRecord[]> {
    const members = await this.#redis.zrangebyscore(this.#deadlines, "-inf", now, "LIMIT", 0, limit);
    if (members.length === 0) return [];
    const raws = await this.#redis.hmget(this.#records, ...members);
    const runs: RunRecord[] = [];
    for (const [i, raw] of raws.entries()) {
      if (raw) runs.push(JSON.parse(raw) as RunRecord);
      else await this.#redis.zrem(this.#deadlines, members[i] as string);
    }
    return runs;
  }
}
