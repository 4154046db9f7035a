// Parsing on other threads while the main thread interprets. The engine announces the modules it will
// interpret, in order; the pool parses them ahead on worker threads (the native export: text in, a flat
// Int32Array out, transferred without a copy) and the engine takes each tree when it gets there. Trees
// are the ones the main thread would have built, so findings are identical; a tree that is not ready, or
// a thread that fails, only means the main thread parses that file itself.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { parseWorkerPath, treeExport } from "@rce-guard/tree-export";
import { type ParsedFile, treeFromExport } from "./engine/index.js";

interface Job {
  id: number;
  path: string;
  text: string;
}

interface ParseResult {
  id: number;
  records?: Int32Array;
  hasError?: boolean;
  error?: string;
}

interface Slot {
  /** The file's length, what it counts against MAX_AHEAD_CHARS while its records wait. */
  chars: number;
  records?: Int32Array;
  hasError?: boolean;
  settled: boolean;
  /** The analysis needed it before it was ready and parsed it itself. */
  abandoned?: boolean;
  /** The job's id, once scheduled. */
  id: number;
  waiters: (() => void)[];
}

/**
 * Files handed to the threads but not yet taken by the analysis; past it the pool waits for the analysis to
 * catch up (a tree's records are about 20 times its file). Results reach this thread only when it awaits
 * (between modules), so each thread is given a long queue of its own rather than one file at a time.
 */
const MAX_AHEAD = 256;
/** The same bound in source size, so a run of large files cannot hold gigabytes of records. */
const MAX_AHEAD_CHARS = 8 * 1024 * 1024;
const IN_FLIGHT_PER_THREAD = 24;
/** Jobs in flight are far fewer than this, so ids modulo it never collide among them. */
const CANCEL_SLOTS = 1 << 16;

export class ParsePool {
  private readonly workers: Worker[] = [];
  /** Each thread's channel: jobs go out and trees come back on it (see `take`). */
  private readonly ports = new Map<Worker, MessagePort>();
  private readonly busy = new Map<Worker, number>();
  /** Per job (by id modulo CANCEL_SLOTS), 1 when the analysis no longer wants it; shared with the threads. */
  private readonly cancelled = new Uint8Array(new SharedArrayBuffer(CANCEL_SLOTS));
  private readonly queue: Job[] = [];
  private readonly slots = new Map<string, Slot>();
  /** Scheduled paths in order, and how many of them the analysis is past (`reached`). */
  private readonly order: string[] = [];
  private passed = 0;
  private readonly jobs = new Map<number, { job: Job; worker: Worker }>();
  private nextId = 0;
  private ahead = 0;
  private aheadChars = 0;
  private broken = false;

  /** A pool of `threads` parsing threads, or undefined when the native export is not built. */
  static create(threads: number): ParsePool | undefined {
    if (!treeExport || threads < 1) return undefined;
    return new ParsePool(threads);
  }

  private constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      // A channel of its own rather than the worker's default port: the analysis runs synchronously through
      // a module and its imports, and `take` reads a tree that has arrived meanwhile off this port at once
      // (receiveMessageOnPort); on the default port it would wait for the next turn of the event loop.
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(parseWorkerPath, {
        workerData: { port: port2, cancelled: this.cancelled },
        transferList: [port2],
      });
      port1.on("message", (message: ParseResult) => this.settle(worker, message));
      worker.on("error", () => this.fail());
      worker.on("exit", (code) => {
        if (code !== 0) this.fail();
      });
      this.busy.set(worker, 0);
      this.ports.set(worker, port1);
      this.workers.push(worker);
    }
  }

  /** Queues modules for parsing, in the order the analysis will want them. */
  schedule(modules: readonly { path: string; text: string }[]): void {
    for (const { path, text } of modules) {
      if (this.slots.has(path)) continue;
      const id = this.nextId++;
      this.slots.set(path, { settled: false, waiters: [], chars: text.length, id });
      this.order.push(path);
      this.queue.push({ id, path, text });
    }
    this.dispatch();
  }

  /** Resolves once the tree for `path` is parsed, or will not come from the pool. */
  ready(path: string): Promise<void> {
    const slot = this.slots.get(path);
    if (!slot || slot.settled || this.broken) return Promise.resolve();
    return new Promise((resolve) => slot.waiters.push(resolve));
  }

  /**
   * The analysis is at `path`: files scheduled before it that it did not take were predicted wrongly (an
   * import not followed after all) and are dropped, so that their records do not hold the pool's room.
   */
  reached(path: string): void {
    // A slot's id is its place in `order`: both grow together in `schedule`.
    const at = this.slots.get(path)?.id;
    if (at === undefined) return;
    for (; this.passed < at; this.passed++) {
      const slot = this.slots.get(this.order[this.passed]!)!;
      if (slot.records) {
        delete slot.records;
        this.release(slot.chars);
      } else if (!slot.settled) this.abandon(slot);
    }
    this.dispatch();
  }

  /** The tree for `path`, if the pool parsed it; each tree is handed out once. */
  take(path: string, text: string): ParsedFile | undefined {
    const slot = this.slots.get(path);
    if (slot && !slot.settled) this.receiveArrived();
    if (slot && !slot.settled) this.abandon(slot);
    if (!slot?.records) return undefined;
    const exported = { records: slot.records, hasError: slot.hasError ?? false };
    delete slot.records;
    this.release(text.length);
    this.dispatch();
    return treeFromExport(exported, text);
  }

  /**
   * Not wanted from the pool any more (the analysis parsed it, or passed it by). A thread that has not
   * begun it skips it: the flag is shared memory it reads before each parse.
   */
  private abandon(slot: Slot): void {
    slot.abandoned = true;
    Atomics.store(this.cancelled, slot.id % CANCEL_SLOTS, 1);
  }

  /** Settles every result already sent, without waiting for the event loop. */
  private receiveArrived(): void {
    for (const [worker, port] of this.ports) {
      for (let got = receiveMessageOnPort(port); got; got = receiveMessageOnPort(port))
        this.settle(worker, got.message as ParseResult);
    }
  }

  async close(): Promise<void> {
    this.broken = true;
    this.wakeAll();
    for (const port of this.ports.values()) port.close();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    if (this.broken) return;
    // Round robin, so the files the analysis wants next are spread over every thread.
    let progress = true;
    while (progress && this.queue.length > 0 && this.hasRoom()) {
      progress = false;
      for (const worker of this.workers) {
        if (
          this.queue.length === 0 ||
          !this.hasRoom() ||
          (this.busy.get(worker) ?? 0) >= IN_FLIGHT_PER_THREAD
        )
          continue;
        progress = true;
        const job = this.queue.shift()!;
        // The analysis got there first and parsed it itself.
        if (this.slots.get(job.path)?.abandoned) continue;
        this.jobs.set(job.id, { job, worker });
        Atomics.store(this.cancelled, job.id % CANCEL_SLOTS, 0);
        this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
        this.ahead++;
        this.aheadChars += job.text.length;
        this.ports.get(worker)!.postMessage({ id: job.id, text: job.text });
      }
    }
  }

  private settle(worker: Worker, message: ParseResult): void {
    const entry = this.jobs.get(message.id);
    if (!entry) return;
    this.jobs.delete(message.id);
    this.busy.set(worker, (this.busy.get(worker) ?? 1) - 1);
    const slot = this.slots.get(entry.job.path);
    if (slot) {
      if (message.records && !slot.abandoned) {
        slot.records = message.records;
        slot.hasError = message.hasError ?? false;
      } else {
        // Not wanted any more, or the thread could not parse it (the analysis will, and report what goes
        // wrong there).
        this.release(entry.job.text.length);
      }
      slot.settled = true;
      for (const wake of slot.waiters.splice(0)) wake();
    }
    this.dispatch();
  }

  /** Room for one more file ahead (always for one, however large). */
  private hasRoom(): boolean {
    return this.ahead === 0 || (this.ahead < MAX_AHEAD && this.aheadChars < MAX_AHEAD_CHARS);
  }

  private release(chars: number): void {
    this.ahead--;
    this.aheadChars -= chars;
  }

  private fail(): void {
    this.broken = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const slot of this.slots.values()) {
      slot.settled = true;
      for (const wake of slot.waiters.splice(0)) wake();
    }
  }
}
