import { readFile } from "node:fs/promises";
import { makeArtifact } from "./mlflow/artifactRecipe.js";
import { sleep } from "./mlflow/backoff.js";
import { batchSize, mergeHead, singleEntityBatches, splitBatch } from "./mlflow/batch.js";
import { errorCodeOf, isRetryable, messageOf } from "./mlflow/errors.js";
import { filesToUpload } from "./mlflow/localArtifacts.js";
import { describeOp, standsAlone, type TrackingOp } from "./mlflow/ops.js";
import type { Spool, SpoolLine } from "./mlflow/spool.js";
import type { TrackingStore } from "./mlflow/store.js";
import type { KeyValue } from "./mlflow/types.js";
import { BatchIds, type IdTable } from "./batchIds.js";
import type { RecordSink } from "./recordSink.js";

export interface WriterOptions {
  /** Where records wait while a remote store is unreachable; without it they are dropped with a warning. */
  spool?: Spool;
  /** How often to try an unreachable server again, in ms (default 5000). */
  probeMs?: number;
  warn: (message: string) => void;
  /** Tags added to runs created with `withSourceTags`. */
  sourceTags?: Promise<KeyValue[]>;
  /**
   * Transactional stores: the least time between two commits, in ms, so records gather into batches (default
   * 2000: a commit waits for the disk, tens of ms on a busy machine, and the driver waits on the thread it runs on).
   */
  batchMs?: number;
  /** Transactional stores: how long `close` waits for a locked database before giving up on the rest, in ms (default 60000). */
  lockWaitMs?: number;
  /** Transactional stores: called when the `count` records at the head of the queue are done with (committed, or dropped with a warning), with the ids they created. */
  onDone?: (count: number, ids: Array<[string, string]>) => void;
  /** Whether artifacts with a recipe are still worth making (the writer thread's database was not removed meanwhile). */
  makeArtifacts?: () => boolean;
}

/** A database locked this long (ms) gets one warning: records are delayed, not lost. */
const LOCK_WARN_MS = 2000;

/** At most this many records in one transaction. */
const MAX_BATCH = 5000;

/**
 * The single background writer: records are applied in the order they were queued, one at a time.
 * A record the store refuses (a 4xx) is reported once and dropped; when a remote store stays unreachable
 * after its retries, this and every later record go to the spool until the store answers again.
 */
export class RecordWriter implements RecordSink {
  private readonly queue: TrackingOp[] = [];
  private readonly ids = new Map<string, string>();
  private readonly failedRefs = new Set<string>();
  private pumping: Promise<void> | undefined;
  private spooling = false;
  private replayDue = false;
  private warnedDown = false;
  private nextLine = 0;
  private closing = false;
  private wake: (() => void) | undefined;
  private lastCommit = 0;
  private lockedSince: number | undefined;
  private lockAttempts = 0;
  /** Whether a refused call may be passed over within the transaction (see `commitBatch`). */
  private careful = true;
  private warnedLocked = false;
  private probe: NodeJS.Timeout | undefined;
  private readonly startup: Promise<void>;

  constructor(
    private readonly store: TrackingStore,
    private readonly options: WriterOptions,
  ) {
    this.startup = this.replayLeftovers();
  }

  /** The id the store gave `ref`, once it has been created. */
  idOf(ref: string): string | undefined {
    return this.ids.get(ref);
  }

  get spoolFile(): string | undefined {
    return this.spooling ? this.options.spool?.file : undefined;
  }

  /** Records for `ref` go to the existing experiment or run `id` (a continued search). */
  adopt(ref: string, id: string): void {
    this.ids.set(ref, id);
  }

  enqueue(op: TrackingOp): void {
    this.queue.push(op);
    this.kick();
  }

  /** Nothing to hand on: queued records are the writer's already. */
  send(): void {}

  /** Artifacts are made before `close` resolves here. */
  defer(): boolean {
    return false;
  }

  /** Resolves when every queued record is stored, or written to the spool when the server is down. */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
    if (this.spooling) {
      this.replayDue = true;
      this.kick();
      while (this.pumping) await this.pumping;
    }
  }

  /** Flushes, then hands records the server never took to the next session against it. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.flush();
    this.stopProbe();
    if (this.spooling && this.options.spool) await this.options.spool.release(this.options.spool.file);
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = this.pump()
      .catch((error: unknown) => this.options.warn(`tracking writer stopped on an unexpected error: ${messageOf(error)}`))
      .finally(() => {
        this.pumping = undefined;
        if (this.queue.length > 0 || (this.replayDue && this.spooling)) this.kick();
      });
  }

  private async pump(): Promise<void> {
    await this.startup;
    if (this.store.inTransaction) return this.pumpTransactions();
    if (this.spooling) {
      await this.spoolQueue();
      if (this.replayDue) await this.replayOwn();
      return;
    }
    while (this.queue.length > 0 && !this.spooling) {
      mergeHead(this.queue);
      const op = this.queue[0] as TrackingOp;
      try {
        await this.apply(op, this.ids);
        this.queue.shift();
      } catch (error) {
        if (!isRetryable(error) || !this.options.spool) {
          this.queue.shift();
          this.report(op, error);
          continue;
        }
        await this.startSpooling(error);
      }
    }
    if (this.spooling) await this.spoolQueue();
  }

  /**
   * Transactional stores (SQLite): the queued records commit in batches, one transaction each, at most one commit
   * per `batchMs` while the search runs (an artifact given as text goes with its batch, see `standsAlone`). A locked database delays records, it does not drop them: the batch is
   * tried again (the event loop stays free meanwhile) until it commits, or `close` has waited `lockWaitMs`.
   */
  private async pumpTransactions(): Promise<void> {
    while (this.queue.length > 0) {
      if (!this.closing) await this.pause(this.lastCommit + (this.options.batchMs ?? 2000) - Date.now());
      if (this.closing && this.lockedSince !== undefined && Date.now() - this.lockedSince > (this.options.lockWaitMs ?? 60_000)) {
        this.options.warn(`${this.queue.length} records were not stored: ${this.store.uri} stayed locked by another process`);
        this.options.onDone?.(this.queue.length, []);
        this.queue.length = 0;
        return;
      }
      const head = this.queue[0] as TrackingOp;
      if (standsAlone(head)) {
        await this.apply(head, this.ids).catch((error: unknown) => this.report(head, error));
        this.queue.shift();
        this.options.onDone?.(1, []);
        continue;
      }
      const end = this.queue.findIndex(standsAlone);
      const batch = this.queue.slice(0, Math.min(end === -1 ? this.queue.length : end, MAX_BATCH));
      if (await this.commitBatch(batch)) this.queue.splice(0, batch.length);
    }
  }

  /** Waits `ms` between two commits; `close` cuts the wait short. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  /**
   * One transaction for `batch` (applied to copies, as `apply` replaces what it has sent, so a rolled-back attempt
   * can be repeated); false when it must be tried again. The first attempt joins every call to the transaction
   * directly; when a record is refused, it is rolled back and tried again `careful`ly, each call in a savepoint of
   * its own, so only the refused records are lost.
   */
  private async commitBatch(batch: readonly TrackingOp[], careful = false): Promise<boolean> {
    const ids = new BatchIds(this.ids);
    await this.options.sourceTags;
    this.careful = careful;
    try {
      await this.store.inTransaction?.(async () => {
        for (const op of batch) {
          try {
            await this.apply({ ...op }, ids);
          } catch (error) {
            if (isRetryable(error) || !careful) throw error;
            this.report(op, error);
          }
        }
      }, { savepoints: careful });
    } catch (error) {
      if (!isRetryable(error) && !careful) return this.commitBatch(batch, true);
      if (!isRetryable(error)) {
        this.options.warn(`dropped ${batch.length} records: ${errorCodeOf(error)}: ${messageOf(error)}`);
        this.options.onDone?.(batch.length, []);
        return true;
      }
      this.lockedSince ??= Date.now();
      if (!this.warnedLocked && Date.now() - this.lockedSince >= LOCK_WARN_MS) {
        this.warnedLocked = true;
        this.options.warn(`${this.store.uri} is locked by another process (${messageOf(error)}); records wait and are stored once it is free`);
      }
      await sleep(Math.min(1000, 25 * 2 ** Math.min(this.lockAttempts++, 6)));
      return false;
    }
    const created = [...ids.created].filter(([ref]) => !this.ids.has(ref));
    for (const [ref, id] of created) this.ids.set(ref, id);
    this.options.onDone?.(batch.length, created);
    this.lockedSince = undefined;
    this.lockAttempts = 0;
    this.lastCommit = Date.now();
    return true;
  }

  private resolve(ref: string, ids: IdTable): string | undefined {
    const id = ids.get(ref);
    if (id === undefined && !this.failedRefs.has(ref)) {
      this.failedRefs.add(ref);
      this.options.warn(`records for ${ref} were dropped: it could not be created (see the warning before)`);
    }
    return id;
  }

  /** Applies one record. A logBatch loses the entities already stored, so a retry sends only the rest. */
  private async apply(op: TrackingOp, ids: IdTable): Promise<void> {
    switch (op.kind) {
      case "experiment": {
        ids.set(op.ref, await this.store.getOrCreateExperiment(op.name));
        return;
      }
      case "createRun": {
        const experimentId = this.resolve(op.experiment, ids);
        if (experimentId === undefined) return;
        if (op.withSourceTags) {
          op.tags = [...op.tags, ...((await this.options.sourceTags) ?? [])];
          delete op.withSourceTags;
        }
        const parentId = op.parent === undefined ? undefined : this.resolve(op.parent, ids);
        const tags = parentId === undefined ? op.tags : [...op.tags, { key: "mlflow.parentRunId", value: parentId }];
        const info = await this.store.createRun({ experimentId, runName: op.runName, startTime: op.startTime, userId: op.userId, tags });
        ids.set(op.ref, info.runId);
        return;
      }
      case "logBatch": {
        const runId = this.resolve(op.run, ids);
        if (runId === undefined) return;
        const parts = splitBatch({ runId, metrics: op.metrics, params: op.params, tags: op.tags });
        for (const part of parts) {
          await this.logPart(part);
          if (parts.length === 1) return;
          op.metrics = op.metrics.slice(part.metrics.length);
          op.params = op.params.filter((p) => !part.params.some((q) => q.key === p.key));
          op.tags = op.tags.slice(part.tags.length);
        }
        return;
      }
      case "updateRun": {
        const runId = this.resolve(op.run, ids);
        if (runId !== undefined) await this.store.updateRun(runId, op.status, op.endTime);
        return;
      }
      case "artifact": {
        const runId = this.resolve(op.run, ids);
        if (runId === undefined) return;
        if (op.recipe !== undefined && this.options.makeArtifacts?.() === false) return;
        const text = op.recipe === undefined ? op.text : await makeArtifact(op.recipe);
        if (op.file === undefined) return this.store.logArtifact(runId, op.path, new TextEncoder().encode(text ?? ""));
        for (const { path, file } of await filesToUpload(op.path, op.file)) await this.store.logArtifact(runId, path, new Uint8Array(await readFile(file)));
        return;
      }
    }
  }

  /** Sends one request; when the store refuses it, sends its entities one by one so only the bad ones are lost. */
  private async logPart(part: Parameters<TrackingStore["logBatch"]>[0]): Promise<void> {
    try {
      await this.store.logBatch(part);
    } catch (error) {
      if (isRetryable(error) || batchSize(part) <= 1 || !this.careful) throw error;
      for (const single of singleEntityBatches(part)) {
        try {
          await this.store.logBatch(single);
        } catch (inner) {
          if (isRetryable(inner)) throw inner;
          const entity = single.params[0] ?? single.tags[0] ?? single.metrics[0];
          this.options.warn(`dropped ${entity ? JSON.stringify(entity.key) : "an entity"} for run ${part.runId}: ${errorCodeOf(inner)}: ${messageOf(inner)}`);
        }
      }
    }
  }

  private report(op: TrackingOp, error: unknown): void {
    this.options.warn(`dropped ${describeOp(op)}: ${errorCodeOf(error)}: ${messageOf(error)}`);
  }

  private async startSpooling(error: unknown): Promise<void> {
    const spool = this.options.spool;
    if (!spool) return;
    this.spooling = true;
    const known = [...this.ids.entries()].map(([ref, id]) => ({ t: "id" as const, ref, id }));
    await spool.append(spool.file, known);
    if (!this.warnedDown) {
      this.warnedDown = true;
      this.options.warn(
        `MLflow server ${this.store.uri} is not answering (${errorCodeOf(error)}: ${messageOf(error)}); records are kept in ${spool.file} and sent when it answers again, or by the next search against this server`,
      );
    }
    this.startProbe();
  }

  private async spoolQueue(): Promise<void> {
    const spool = this.options.spool;
    if (!spool || this.queue.length === 0) return;
    const lines = this.queue.splice(0).map((op) => ({ t: "op" as const, n: this.nextLine++, op }));
    await spool.append(spool.file, lines);
  }

  private startProbe(): void {
    if (this.probe) return;
    this.probe = setInterval(() => {
      this.replayDue = true;
      this.kick();
    }, this.options.probeMs ?? 5000);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }

  /** Sends this session's spooled records; back to direct writing when all are stored. */
  private async replayOwn(): Promise<void> {
    this.replayDue = false;
    const spool = this.options.spool;
    if (!spool) return;
    if (await this.replayFile(spool.file, this.ids)) {
      await spool.remove(spool.file);
      this.spooling = false;
      this.stopProbe();
    }
  }

  /** Replays one spool file in order; false when the server stopped answering again. */
  private async replayFile(file: string, ids: Map<string, string>): Promise<boolean> {
    const spool = this.options.spool;
    if (!spool) return true;
    const contents = await spool.load(file);
    for (const [ref, id] of contents.ids) if (!ids.has(ref)) ids.set(ref, id);
    for (const { n, op } of contents.ops) {
      try {
        await this.apply(op, ids);
      } catch (error) {
        if (isRetryable(error)) {
          await spool.append(file, [{ t: "op", n, op }]);
          return false;
        }
        this.report(op, error);
      }
      const lines: SpoolLine[] = [];
      const created = op.kind === "experiment" || op.kind === "createRun" ? ids.get(op.ref) : undefined;
      if (created !== undefined && (op.kind === "experiment" || op.kind === "createRun")) lines.push({ t: "id", ref: op.ref, id: created });
      await spool.append(file, [...lines, { t: "done", n }]);
    }
    return true;
  }

  /** Records that earlier sessions could not send to this server, replayed before this session's own. */
  private async replayLeftovers(): Promise<void> {
    const spool = this.options.spool;
    if (!spool) return;
    for (const file of await spool.claimLeftovers()) {
      const ok = await this.replayFile(file, new Map()).catch(() => false);
      if (ok) await spool.remove(file);
      else await spool.release(file);
    }
  }
}
