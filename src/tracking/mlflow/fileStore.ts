import { appendFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { validateArtifactPath } from "./artifactPath.js";
import { MlflowError, TrackingValidationError } from "./errors.js";
import { newExperimentId, newRunId } from "./ids.js";
import { decodeToken, encodeToken } from "./pageToken.js";
import { parsePyFloat, pyFloat } from "./pyFloat.js";
import { compareRuns, matchesFilter, parseFilter, parseOrderBy } from "./searchQuery.js";
import type { TrackingStore } from "./store.js";
import type {
  CreateRunRequest,
  Experiment,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsPage,
  SearchRunsRequest,
} from "./types.js";
import {
  isFileStoreRunId,
  paramChanged,
  validateBatchSize,
  validateDistinctParams,
  validateExperimentName,
  validateKey,
  validateMaxResults,
  validateMetric,
  validateValue,
} from "./validation.js";

const STATUS_CODE: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
const STATUS_NAME: Record<number, RunStatus> = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };
const DEFAULT_EXPERIMENT = { id: "0", name: "Default" };

/** `value` as the YAML of MLflow's `meta.yaml` files (yaml is loaded by the first store that writes one). */
async function yamlText(value: Record<string, unknown>): Promise<string> {
  const { stringify } = await import("yaml");
  return stringify(value, { singleQuote: true, lineWidth: 0 });
}

/** A `meta.yaml` file's content, parsed. */
async function yamlValue(text: string): Promise<Record<string, unknown>> {
  const { parse } = await import("yaml");
  return parse(text) as Record<string, unknown>;
}

function notFound(what: string): MlflowError {
  return new MlflowError(`${what} does not exist`, "RESOURCE_DOES_NOT_EXIST", false);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function listDir(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

/**
 * MLflow 3.6's file store: `<root>/<experiment_id>/meta.yaml`, `<root>/<experiment_id>/<run_id>/{meta.yaml,
 * params/,tags/,metrics/,artifacts/}`, the Default experiment in `0/` and a `.trash/` folder.
 * Every path it writes is checked to stay inside the root.
 */
export class FileStore implements TrackingStore {
  readonly remote = false;
  readonly uri: string;
  private readonly root: string;
  private ready?: Promise<void>;
  private creating = new Map<string, Promise<string>>();
  private runExperiment = new Map<string, string>();

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
    this.uri = pathToFileURL(this.root).href;
  }

  /** `segments` joined under the root; refuses any result outside it. */
  private inside(...segments: string[]): string {
    const path = resolve(this.root, ...segments);
    const rel = relative(this.root, path);
    if (rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))) return path;
    const joined = segments.join("/");
    throw new TrackingValidationError("path", `path ${JSON.stringify(joined)} would leave the store folder`, "a path inside the store folder", joined);
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(join(this.root, ".trash"), { recursive: true });
      if (!(await exists(join(this.root, DEFAULT_EXPERIMENT.id, "meta.yaml")))) {
        await this.writeExperiment(DEFAULT_EXPERIMENT.id, DEFAULT_EXPERIMENT.name);
      }
    })();
    return this.ready;
  }

  private async writeExperiment(id: string, name: string): Promise<void> {
    const now = Date.now();
    const dir = this.inside(id);
    await mkdir(dir, { recursive: true });
    const meta = {
      artifact_location: pathToFileURL(dir).href,
      creation_time: now,
      experiment_id: id,
      last_update_time: now,
      lifecycle_stage: "active",
      name,
    };
    await writeFile(join(dir, "meta.yaml"), await yamlText(meta));
  }

  private async experiments(): Promise<Experiment[]> {
    await this.init();
    const out: Experiment[] = [];
    for (const entry of await listDir(this.root)) {
      if (entry.startsWith(".")) continue;
      const text = await readFile(join(this.root, entry, "meta.yaml"), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      const meta = await yamlValue(text);
      out.push({
        experimentId: String(meta.experiment_id ?? entry),
        name: String(meta.name ?? ""),
        artifactLocation: String(meta.artifact_location ?? ""),
        lifecycleStage: String(meta.lifecycle_stage ?? "active"),
      });
    }
    return out;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return (await this.experiments()).find((e) => e.name === name && e.lifecycleStage === "active");
  }

  getOrCreateExperiment(name: string): Promise<string> {
    validateExperimentName(name);
    const pending = this.creating.get(name);
    if (pending) return pending;
    const created = (async () => {
      const found = await this.getExperimentByName(name);
      if (found) return found.experimentId;
      const id = newExperimentId();
      await this.writeExperiment(id, name);
      return id;
    })();
    this.creating.set(name, created);
    created.catch(() => this.creating.delete(name));
    return created;
  }

  private async runDir(runId: string): Promise<{ dir: string; experimentId: string }> {
    if (!isFileStoreRunId(runId)) throw notFound(`run ${JSON.stringify(runId)}`);
    await this.init();
    const known = this.runExperiment.get(runId);
    if (known !== undefined) return { dir: this.inside(known, runId), experimentId: known };
    for (const entry of await listDir(this.root)) {
      if (entry.startsWith(".")) continue;
      if (await exists(join(this.root, entry, runId, "meta.yaml"))) {
        this.runExperiment.set(runId, entry);
        return { dir: this.inside(entry, runId), experimentId: entry };
      }
    }
    throw notFound(`run ${runId}`);
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    await this.init();
    const experimentDir = this.inside(request.experimentId);
    if (!(await exists(join(experimentDir, "meta.yaml")))) throw notFound(`experiment ${request.experimentId}`);
    const runId = newRunId();
    const dir = this.inside(request.experimentId, runId);
    await mkdir(join(dir, "artifacts"), { recursive: true });
    await Promise.all(["params", "metrics", "tags"].map((d) => mkdir(join(dir, d), { recursive: true })));
    const info: RunInfo = {
      runId,
      experimentId: request.experimentId,
      runName: request.runName,
      userId: request.userId,
      status: "RUNNING",
      startTime: request.startTime,
      endTime: null,
      artifactUri: pathToFileURL(join(dir, "artifacts")).href,
      lifecycleStage: "active",
    };
    await this.writeRunMeta(dir, info);
    this.runExperiment.set(runId, request.experimentId);
    const tags = request.tags.filter((t) => t.key !== "mlflow.runName");
    await this.logBatch({ runId, metrics: [], params: [], tags: [...tags, { key: "mlflow.runName", value: request.runName }] });
    return info;
  }

  private async writeRunMeta(dir: string, info: RunInfo): Promise<void> {
    const meta = {
      artifact_uri: info.artifactUri,
      end_time: info.endTime,
      entry_point_name: "",
      experiment_id: info.experimentId,
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.runName,
      source_name: "",
      source_type: 4,
      source_version: "",
      start_time: info.startTime,
      status: STATUS_CODE[info.status],
      tags: [],
      user_id: info.userId,
    };
    await writeFile(join(dir, "meta.yaml"), await yamlText(meta));
  }

  private async readRunInfo(dir: string): Promise<RunInfo> {
    const meta = await yamlValue(await readFile(join(dir, "meta.yaml"), "utf8"));
    const endTime = meta.end_time;
    return {
      runId: String(meta.run_id ?? meta.run_uuid),
      experimentId: String(meta.experiment_id),
      runName: String(meta.run_name ?? ""),
      userId: String(meta.user_id ?? ""),
      status: STATUS_NAME[Number(meta.status)] ?? "RUNNING",
      startTime: Number(meta.start_time ?? 0),
      endTime: endTime === null || endTime === undefined ? null : Number(endTime),
      artifactUri: String(meta.artifact_uri ?? ""),
      lifecycleStage: String(meta.lifecycle_stage ?? "active"),
    };
  }

  async logBatch(request: LogBatchRequest): Promise<void> {
    const { dir } = await this.runDir(request.runId);
    validateBatchSize(request);
    for (const param of request.params) validateValue("param", validateKey("param", param.key), param.value);
    validateDistinctParams(request.params);
    for (const param of request.params) {
      const current = await readFile(this.inside(relative(this.root, dir), "params", param.key), "utf8").catch(() => undefined);
      if (current !== undefined && current !== param.value) throw paramChanged(param.key, current, param.value);
    }
    for (const tag of request.tags) {
      validateKey("tag", tag.key);
      validateValue("tag", tag.key, tag.value);
    }
    for (const metric of request.metrics) validateMetric(metric.key, metric.value, metric.timestamp, metric.step);
    const runRel = relative(this.root, dir);
    for (const param of request.params) await this.writeEntity(this.inside(runRel, "params", param.key), param.value);
    for (const tag of request.tags) await this.writeEntity(this.inside(runRel, "tags", tag.key), tag.value);
    for (const m of request.metrics) {
      const path = this.inside(runRel, "metrics", m.key);
      await mkdir(resolve(path, ".."), { recursive: true });
      await appendFile(path, `${m.timestamp} ${pyFloat(m.value)} ${m.step}\n`);
    }
  }

  private async writeEntity(path: string, value: string): Promise<void> {
    await mkdir(resolve(path, ".."), { recursive: true });
    await writeFile(path, value);
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    const { dir } = await this.runDir(runId);
    const info = await this.readRunInfo(dir);
    await this.writeRunMeta(dir, { ...info, status, endTime });
  }

  private async readEntities(base: string): Promise<Array<{ key: string; path: string }>> {
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return { key: relative(base, path).split(sep).join("/"), path };
      });
  }

  private async readRun(dir: string): Promise<Run> {
    const info = await this.readRunInfo(dir);
    const params: Record<string, string> = {};
    const tags: Record<string, string> = {};
    const metrics: Record<string, number> = {};
    for (const { key, path } of await this.readEntities(join(dir, "params"))) params[key] = await readFile(path, "utf8");
    for (const { key, path } of await this.readEntities(join(dir, "tags"))) tags[key] = await readFile(path, "utf8");
    for (const { key, path } of await this.readEntities(join(dir, "metrics"))) {
      const latest = latestMetric(parseMetricLines(key, await readFile(path, "utf8")));
      if (latest) metrics[key] = latest.value;
    }
    return { info, data: { metrics, params, tags } };
  }

  async getRun(runId: string): Promise<Run> {
    const { dir } = await this.runDir(runId);
    return this.readRun(dir);
  }

  async searchRuns(request: SearchRunsRequest): Promise<SearchRunsPage> {
    await this.init();
    const clauses = parseFilter(request.filter);
    const orders = parseOrderBy(request.orderBy);
    const maxResults = validateMaxResults(request.maxResults ?? 1000);
    const runs: Run[] = [];
    for (const experimentId of request.experimentIds) {
      const experimentDir = this.inside(experimentId);
      for (const entry of await listDir(experimentDir)) {
        if (!isFileStoreRunId(entry) || !(await exists(join(experimentDir, entry, "meta.yaml")))) continue;
        const run = await this.readRun(join(experimentDir, entry));
        if (run.info.lifecycleStage === "active" && matchesFilter(run, clauses)) runs.push(run);
      }
    }
    runs.sort(compareRuns(orders));
    const offset = request.pageToken ? decodeToken(request.pageToken) : 0;
    const page = runs.slice(offset, offset + maxResults);
    const next = offset + page.length;
    return next < runs.length ? { runs: page, nextPageToken: encodeToken(next) } : { runs: page };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey("metric", key);
    const { dir } = await this.runDir(runId);
    const text = await readFile(this.inside(relative(this.root, dir), "metrics", key), "utf8").catch(() => "");
    return parseMetricLines(key, text);
  }

  async logArtifact(runId: string, artifactPath: string, content: Uint8Array): Promise<void> {
    validateArtifactPath(artifactPath);
    const { dir } = await this.runDir(runId);
    const path = this.inside(relative(this.root, dir), "artifacts", ...artifactPath.split("/"));
    await mkdir(resolve(path, ".."), { recursive: true });
    await writeFile(path, content);
  }

  async listArtifacts(runId: string, path: string): Promise<string[]> {
    if (path !== "") validateArtifactPath(path);
    const { dir } = await this.runDir(runId);
    const folder = this.inside(relative(this.root, dir), "artifacts", ...(path === "" ? [] : path.split("/")));
    return listDir(folder);
  }

  async close(): Promise<void> {}
}

function parseMetricLines(key: string, text: string): Metric[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [timestamp = "0", value = "nan", step = "0"] = line.trim().split(/\s+/);
      return { key, timestamp: Number(timestamp), value: parsePyFloat(value), step: Number(step) };
    });
}

/** The value MLflow reports as a run's metric: the one with the largest (step, timestamp, value). */
function latestMetric(history: readonly Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const m of history) {
    if (!best || m.step > best.step || (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)))) {
      best = m;
    }
  }
  return best;
}
