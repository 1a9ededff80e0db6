import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RegistryError, TestRegistry } from "./mlflowRegistry.js";

/**
 * An in-memory stand-in for an MLflow 3.6 tracking server (`--serve-artifacts`), following what a real
 * server was measured to do: endpoints, JSON errors matched on error_code, batch and key limits, param
 * immutability, silent truncation of long values, the Host guard, artifact listing, the Model Registry
 * (tests/support/mlflowRegistry.ts). Faults can be injected.
 */
interface KV {
  key: string;
  value: string;
}
interface StoredMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
export interface StoredRun {
  info: {
    run_id: string;
    run_uuid: string;
    experiment_id: string;
    run_name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: StoredMetric[];
}
interface Experiment {
  experiment_id: string;
  name: string;
}
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface MlflowServerOptions {
  port?: number;
  /** Longest accepted key (MLflow: 250); lower it to provoke a 400 for a key the client accepts. */
  maxKeyLength?: number;
  /** When set, requests without this exact Authorization header get 401. */
  authorization?: string;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const KEY = /^[A-Za-z0-9_\-.:/ ]+$/;

export class MlflowTestServer {
  readonly experiments: Experiment[] = [{ experiment_id: "0", name: "Default" }];
  readonly runs = new Map<string, StoredRun>();
  readonly artifacts = new Map<string, Buffer>();
  readonly registry = new TestRegistry();
  readonly requests: RecordedRequest[] = [];
  /** Responses to force before normal service: each entry is an HTTP status answered once with INTERNAL_ERROR or a 429. */
  readonly faults: number[] = [];
  /** Delay before each answer, in ms. */
  delayMs = 0;
  /** While set, every request waits for it before it is answered. */
  gate: Promise<void> | undefined;
  /** Requests answered so far (received ones are in `requests`). */
  answered = 0;
  private nextExperiment = 1;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly options: MlflowServerOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  runsNamed(name: string): StoredRun[] {
    return [...this.runs.values()].filter((r) => r.info.run_name === name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    this.requests.push({ method: req.method ?? "", path: url.pathname, headers: req.headers, body: raw.toString("utf8") });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    await this.gate;
    const send = (status: number, body: unknown): void => {
      if (res.destroyed) return;
      this.answered++;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.host !== `127.0.0.1:${this.port}` && req.headers.host !== `localhost:${this.port}`) {
      res.writeHead(403, { "content-type": "text/plain" }).end("Invalid Host header");
      return;
    }
    if (this.options.authorization !== undefined && req.headers.authorization !== this.options.authorization) {
      res.writeHead(401, { "content-type": "text/plain" }).end("You are not authenticated.");
      return;
    }
    const fault = this.faults.shift();
    if (fault !== undefined) {
      send(fault, { error_code: fault === 429 ? "REQUEST_LIMIT_EXCEEDED" : "INTERNAL_ERROR", message: "injected fault" });
      return;
    }
    try {
      const reply = this.route(req.method ?? "GET", url, raw, req.headers["content-type"]);
      if (reply === undefined) {
        res.writeHead(404, { "content-type": "text/html" }).end("<!doctype html><title>404 Not Found</title>");
        return;
      }
      if (typeof reply === "string") {
        res.writeHead(200, { "content-type": "text/plain" }).end(reply);
        return;
      }
      send(200, reply);
    } catch (error) {
      if (error instanceof ApiError || error instanceof RegistryError) send(error.status, { error_code: error.code, message: error.message });
      else send(500, { error_code: "INTERNAL_ERROR", message: String(error) });
    }
  }

  private route(method: string, url: URL, raw: Buffer, contentType: string | undefined): unknown {
    const path = url.pathname;
    if (path === "/health" && method === "GET") return "OK";
    const artifact = /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.+)$/.exec(path);
    if (artifact?.[1] && method === "PUT") {
      this.artifacts.set(decodeURIComponent(artifact[1]), raw);
      return {};
    }
    if (path === "/api/2.0/mlflow-artifacts/artifacts" && method === "GET") return this.listArtifacts(url.searchParams.get("path") ?? "");
    const api = /^\/api\/2\.0\/mlflow\/(.+)$/.exec(path)?.[1];
    if (api === undefined) return undefined;
    if (method === "POST" && !(contentType ?? "").startsWith("application/json")) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Content-Type must be application/json");
    }
    const body = method === "POST" ? (JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>) : {};
    const q = url.searchParams;
    switch (`${method} ${api}`) {
      case "GET experiments/get-by-name":
        return { experiment: this.experimentJson(this.experimentByName(q.get("experiment_name") ?? "")) };
      case "POST experiments/create":
        return this.createExperiment(body);
      case "POST runs/create":
        return { run: this.runJson(this.createRun(body)) };
      case "POST runs/log-batch":
        this.logBatch(body);
        return {};
      case "POST runs/update": {
        const run = this.run(String(body.run_id));
        if (["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"].includes(String(body.status))) run.info.status = String(body.status);
        if (body.end_time !== undefined) run.info.end_time = Number(body.end_time);
        return { run_info: run.info };
      }
      case "GET runs/get":
        return { run: this.runJson(this.run(q.get("run_id") ?? "")) };
      case "POST runs/search":
        return this.search(body);
      case "GET metrics/get-history": {
        const run = this.run(q.get("run_id") ?? "");
        if (q.get("max_results") === null) return {};
        return { metrics: run.metrics.filter((m) => m.key === q.get("metric_key")) };
      }
      default:
        return this.registry.route(method, api, body, q);
    }
  }

  /** `{ files: [{ path, is_dir }] }` directly under `<prefix>/`, as the artifact service lists a folder. */
  private listArtifacts(prefix: string): unknown {
    const names = new Map<string, boolean>();
    for (const key of this.artifacts.keys()) {
      if (!key.startsWith(`${prefix}/`)) continue;
      const [first, ...rest] = key.slice(prefix.length + 1).split("/");
      if (first) names.set(first, (names.get(first) ?? false) || rest.length > 0);
    }
    return { files: [...names].map(([name, isDir]) => ({ path: name, is_dir: isDir })) };
  }

  private experimentByName(name: string): Experiment {
    const found = this.experiments.find((e) => e.name === name);
    if (!found) throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
    return found;
  }

  private experimentJson(e: Experiment): unknown {
    return { ...e, artifact_location: `mlflow-artifacts:/${e.experiment_id}`, lifecycle_stage: "active", creation_time: 0, last_update_time: 0, tags: [] };
  }

  private createExperiment(body: Record<string, unknown>): unknown {
    const name = String(body.name ?? "");
    if (name.length === 0 || name.length > 500) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid experiment name");
    if (this.experiments.some((e) => e.name === name)) {
      throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", `Experiment(name=${name}) already exists.`);
    }
    const experiment = { experiment_id: String(this.nextExperiment++), name };
    this.experiments.push(experiment);
    return { experiment_id: experiment.experiment_id };
  }

  private run(runId: string): StoredRun {
    const run = this.runs.get(runId);
    if (!run) throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", `Run '${runId}' not found`);
    return run;
  }

  private createRun(body: Record<string, unknown>): StoredRun {
    const experimentId = String(body.experiment_id);
    if (!this.experiments.some((e) => e.experiment_id === experimentId)) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`);
    }
    const tags = new Map<string, string>();
    for (const t of (body.tags as KV[] | undefined) ?? []) tags.set(t.key, t.value);
    const runName = typeof body.run_name === "string" ? body.run_name : (tags.get("mlflow.runName") ?? "run");
    if (tags.has("mlflow.runName") && tags.get("mlflow.runName") !== runName) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Both 'run_name' and 'mlflow.runName' tag are specified but they are different");
    }
    tags.set("mlflow.runName", runName);
    const runId = randomUUID().replaceAll("-", "");
    const run: StoredRun = {
      info: {
        run_id: runId,
        run_uuid: runId,
        experiment_id: experimentId,
        run_name: runName,
        user_id: String(body.user_id ?? ""),
        status: "RUNNING",
        start_time: Number(body.start_time ?? 0),
        artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
        lifecycle_stage: "active",
      },
      params: new Map(),
      tags,
      metrics: [],
    };
    this.runs.set(runId, run);
    return run;
  }

  private checkKey(key: unknown): string {
    const limit = this.options.maxKeyLength ?? 250;
    if (typeof key !== "string" || !KEY.test(key) || key.length > limit || key.startsWith("/") || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", `Invalid value "${String(key)}" for parameter 'key' supplied`);
    }
    return key;
  }

  private logBatch(body: Record<string, unknown>): void {
    const run = this.run(String(body.run_id));
    const params = (body.params as KV[] | undefined) ?? [];
    const tags = (body.tags as KV[] | undefined) ?? [];
    const metrics = (body.metrics as Array<Record<string, unknown>> | undefined) ?? [];
    if (metrics.length > 1000) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics");
    if (params.length > 100) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 100 params");
    if (tags.length > 100) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 100 tags");
    if (metrics.length + params.length + tags.length > 1000) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 entities");
    const seen = new Set<string>();
    for (const p of params) {
      this.checkKey(p.key);
      if (seen.has(p.key)) throw new ApiError(400, "INVALID_PARAMETER_VALUE", `Duplicate parameter keys have been submitted: ${p.key}`);
      seen.add(p.key);
      const value = typeof p.value === "string" ? p.value.slice(0, 6000) : "";
      const old = run.params.get(p.key);
      if (old !== undefined && old !== value) {
        throw new ApiError(400, "INVALID_PARAMETER_VALUE", `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}'`);
      }
    }
    for (const t of tags) this.checkKey(t.key);
    for (const m of metrics) {
      this.checkKey(m.key);
      if (m.timestamp === undefined) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'timestamp'");
    }
    for (const p of params) run.params.set(p.key, typeof p.value === "string" ? p.value.slice(0, 6000) : "");
    for (const t of tags) run.tags.set(t.key, String(t.value).slice(0, 8000));
    for (const m of metrics) {
      run.metrics.push({ key: String(m.key), value: typeof m.value === "number" ? m.value : 0, timestamp: Number(m.timestamp), step: Number(m.step ?? 0) });
    }
  }

  private runJson(run: StoredRun): unknown {
    const latest = new Map<string, StoredMetric>();
    for (const m of run.metrics) {
      const cur = latest.get(m.key);
      if (!cur || m.step > cur.step || (m.step === cur.step && m.timestamp >= cur.timestamp)) latest.set(m.key, m);
    }
    return {
      info: run.info,
      data: {
        metrics: [...latest.values()],
        params: [...run.params].map(([key, value]) => ({ key, value })),
        tags: [...run.tags].map(([key, value]) => ({ key, value })),
      },
      inputs: {},
    };
  }

  private search(body: Record<string, unknown>): unknown {
    const ids = (body.experiment_ids as string[] | undefined) ?? [];
    const max = Number(body.max_results ?? 1000);
    if (max > 50000) throw new ApiError(400, "INVALID_PARAMETER_VALUE", "max_results exceeds 50000");
    let runs = [...this.runs.values()].filter((r) => ids.includes(r.info.experiment_id));
    const filter = typeof body.filter === "string" ? body.filter : "";
    if (filter) {
      const m = /^tags\.(?:`([^`]+)`|([\w.]+))\s*=\s*'([^']*)'$/.exec(filter.trim());
      if (!m) throw new ApiError(400, "INVALID_PARAMETER_VALUE", `Unsupported filter ${filter}`);
      const key = m[1] ?? m[2] ?? "";
      runs = runs.filter((r) => r.tags.get(key) === m[3]);
    }
    const order = ((body.order_by as string[] | undefined) ?? [])[0];
    const metricOrder = order ? /^metrics\.(\S+)\s*(ASC|DESC)?$/i.exec(order) : null;
    const value = (r: StoredRun, key: string): number | undefined => {
      const ms = r.metrics.filter((x) => x.key === key);
      return ms.length ? ms[ms.length - 1]?.value : undefined;
    };
    runs.sort((a, b) => b.info.start_time - a.info.start_time || (a.info.run_id < b.info.run_id ? -1 : 1));
    if (metricOrder?.[1]) {
      const key = metricOrder[1];
      const sign = (metricOrder[2] ?? "ASC").toUpperCase() === "DESC" ? -1 : 1;
      runs.sort((a, b) => {
        const x = value(a, key);
        const y = value(b, key);
        if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
        return sign * (x - y);
      });
    }
    const offset = Number(body.page_token ?? 0);
    const page = runs.slice(offset, offset + max);
    const next = offset + max;
    return { runs: page.map((r) => this.runJson(r)), ...(page.length === max ? { next_page_token: String(next) } : {}) };
  }
}
