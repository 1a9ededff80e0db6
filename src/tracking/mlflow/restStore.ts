import type { Agent, request } from "undici";
import { validateArtifactPath } from "./artifactPath.js";
import { authorizationHeader, credentialsFromEnv, insecureTlsFromEnv, redactSecrets, type Credentials } from "./auth.js";
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryOptions } from "./backoff.js";
import { MlflowError } from "./errors.js";
import { RestRegistry } from "./restRegistry.js";
import type { TrackingStore } from "./store.js";
import { redactUri } from "./trackingUri.js";
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
import { RUN_STATUSES } from "./types.js";
import { validateBatchSize, validateExperimentName, validateKey, validateMetric, validateRunId, validateRunStatus, validateValue } from "./validation.js";

export interface RestStoreOptions {
  /** Defaults to the `MLFLOW_TRACKING_*` environment variables. */
  credentials?: Credentials;
  /** Skip TLS certificate checks; defaults to `MLFLOW_TRACKING_INSECURE_TLS`. */
  insecureTls?: boolean;
  retry?: Partial<RetryOptions>;
}

type Json = Record<string, unknown>;
interface WireRun {
  info?: Json;
  data?: { metrics?: Array<{ key: string; value: number }>; params?: Array<{ key: string; value: string }>; tags?: Array<{ key: string; value: string }> };
}

/** MLflow's REST API (`/api/2.0/mlflow/...`) through undici, with retries on 429, 5xx and connection errors. */
export class RestStore implements TrackingStore {
  readonly remote = true;
  readonly uri: string;
  private readonly base: string;
  private readonly credentials: Credentials;
  private readonly retry: RetryOptions;
  private readonly insecureTls: boolean;
  /** undici and this store's connection pool, loaded and made by the first request. */
  private http: Promise<{ agent: Agent; request: typeof request }> | undefined;
  /** Set by the first `close`, which every later one waits for. */
  private closing: Promise<void> | undefined;
  private readonly artifactUris = new Map<string, string>();
  /** The server's Model Registry. */
  readonly registry: RestRegistry = new RestRegistry((method, path, body) => this.call(method, path, body));

  constructor(uri: string, options: RestStoreOptions = {}) {
    const url = new URL(uri);
    const credentials = { ...(options.credentials ?? credentialsFromEnv()) };
    if (url.username && credentials.username === undefined) credentials.username = decodeURIComponent(url.username);
    if (url.password && credentials.password === undefined) credentials.password = decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
    this.credentials = credentials;
    this.base = url.href.replace(/\/+$/, "");
    this.uri = redactUri(this.base);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.insecureTls = options.insecureTls ?? insecureTlsFromEnv();
  }

  private client(): Promise<{ agent: Agent; request: typeof request }> {
    this.http ??= import("undici").then(({ Agent, request }) => ({
      request,
      agent: new Agent({
        connect: { rejectUnauthorized: !this.insecureTls, timeout: this.retry.timeoutMs },
        headersTimeout: this.retry.timeoutMs,
        bodyTimeout: this.retry.timeoutMs,
      }),
    }));
    return this.http;
  }

  private headers(contentType: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (contentType) headers["content-type"] = contentType;
    const auth = authorizationHeader(this.credentials);
    if (auth) headers.authorization = auth;
    return headers;
  }

  private async once(method: "GET" | "POST" | "PUT", path: string, body?: string | Uint8Array): Promise<Json> {
    const contentType = body === undefined ? undefined : typeof body === "string" ? "application/json" : "application/octet-stream";
    const where = `${method} ${path.split("?")[0]}`;
    if (this.closing) throw new MlflowError(`${where} at ${this.uri}: this store is closed`, "STORE_CLOSED", false);
    const { agent, request } = await this.client();
    let response;
    try {
      response = await request(`${this.base}${path}`, {
        method,
        headers: this.headers(contentType),
        body,
        dispatcher: agent,
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name ?? "ERROR";
      const detail = redactSecrets(`${code}: ${(error as Error).message ?? String(error)}`, this.credentials);
      const timeout = /timeout|abort/i.test(detail);
      throw new MlflowError(`${where} at ${this.uri} failed: ${detail}`, timeout ? "TIMEOUT" : "CONNECTION_ERROR", true);
    }
    const text = await response.body.text().catch(() => "");
    const status = response.statusCode;
    if (status >= 200 && status < 300) return text.trim().startsWith("{") ? (JSON.parse(text) as Json) : {};
    let errorCode = `HTTP_${status}`;
    let message = text.trim().startsWith("{") ? "" : `HTTP ${status}`;
    if (text.trim().startsWith("{")) {
      const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (typeof parsed.error_code === "string") errorCode = parsed.error_code;
      message = typeof parsed.message === "string" ? parsed.message : `HTTP ${status}`;
    }
    const retryable = status === 429 || status >= 500;
    throw new MlflowError(redactSecrets(`${where} at ${this.uri}: ${errorCode}: ${message}`, this.credentials), errorCode, retryable, status);
  }

  private async call(method: "GET" | "POST" | "PUT", path: string, body?: Json | Uint8Array): Promise<Json> {
    const payload = body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(method, path, payload);
      } catch (error) {
        if (!(error instanceof MlflowError) || !error.retryable || attempt >= this.retry.attempts) throw error;
        await sleep(backoffDelay(this.retry, attempt));
      }
    }
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    validateExperimentName(name);
    try {
      const reply = await this.call("GET", `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
      const e = (reply.experiment ?? {}) as Json;
      return {
        experimentId: String(e.experiment_id),
        name: String(e.name),
        artifactLocation: String(e.artifact_location ?? ""),
        lifecycleStage: String(e.lifecycle_stage ?? "active"),
      };
    } catch (error) {
      if (error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw error;
    }
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found) return found.experimentId;
    try {
      const reply = await this.call("POST", "/api/2.0/mlflow/experiments/create", { name });
      return String(reply.experiment_id);
    } catch (error) {
      if (!(error instanceof MlflowError) || error.errorCode !== "RESOURCE_ALREADY_EXISTS") throw error;
      const raced = await this.getExperimentByName(name);
      if (!raced) throw error;
      return raced.experimentId;
    }
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const tags = request.tags.filter((t) => t.key !== "mlflow.runName");
    for (const tag of tags) {
      validateKey("tag", tag.key);
      validateValue("tag", tag.key, tag.value);
    }
    const reply = await this.call("POST", "/api/2.0/mlflow/runs/create", {
      experiment_id: request.experimentId,
      start_time: request.startTime,
      run_name: request.runName,
      user_id: request.userId,
      tags,
    });
    const info = toRun(reply.run as WireRun).info;
    this.artifactUris.set(info.runId, info.artifactUri);
    return info;
  }

  async logBatch(request: LogBatchRequest): Promise<void> {
    validateRunId(request.runId);
    validateBatchSize(request);
    for (const p of request.params) validateValue("param", validateKey("param", p.key), p.value);
    for (const t of request.tags) validateValue("tag", validateKey("tag", t.key), t.value);
    for (const m of request.metrics) validateMetric(m.key, m.value, m.timestamp, m.step);
    await this.call("POST", "/api/2.0/mlflow/runs/log-batch", {
      run_id: request.runId,
      metrics: request.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step })),
      params: request.params,
      tags: request.tags,
    });
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    validateRunId(runId);
    validateRunStatus(status);
    await this.call("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, status, end_time: endTime });
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    const reply = await this.call("GET", `/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`);
    return toRun(reply.run as WireRun);
  }

  async searchRuns(request: SearchRunsRequest): Promise<SearchRunsPage> {
    const body: Json = { experiment_ids: request.experimentIds, max_results: request.maxResults ?? 1000 };
    if (request.filter) body.filter = request.filter;
    if (request.orderBy) body.order_by = request.orderBy;
    if (request.pageToken) body.page_token = request.pageToken;
    const reply = await this.call("POST", "/api/2.0/mlflow/runs/search", body);
    const runs = ((reply.runs as WireRun[] | undefined) ?? []).map(toRun);
    const token = reply.next_page_token;
    return typeof token === "string" && token !== "" && runs.length > 0 ? { runs, nextPageToken: token } : { runs };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    validateKey("metric", key);
    const out: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const query = `run_id=${encodeURIComponent(runId)}&metric_key=${encodeURIComponent(key)}&max_results=25000${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ""}`;
      const reply = await this.call("GET", `/api/2.0/mlflow/metrics/get-history?${query}`);
      const metrics = (reply.metrics as Array<Json> | undefined) ?? [];
      for (const m of metrics) out.push({ key, value: Number(m.value), timestamp: Number(m.timestamp), step: Number(m.step ?? 0) });
      pageToken = metrics.length > 0 && typeof reply.next_page_token === "string" && reply.next_page_token !== "" ? reply.next_page_token : undefined;
    } while (pageToken);
    return out;
  }

  async logArtifact(runId: string, artifactPath: string, content: Uint8Array): Promise<void> {
    validateRunId(runId);
    validateArtifactPath(artifactPath);
    const location = this.servedLocation(await this.artifactUriOf(runId), runId, artifactPath.split("/"));
    await this.call("PUT", `/api/2.0/mlflow-artifacts/artifacts/${location.split("/").map(encodeURIComponent).join("/")}`, content);
  }

  private async artifactUriOf(runId: string): Promise<string> {
    let artifactUri = this.artifactUris.get(runId);
    if (artifactUri === undefined) {
      artifactUri = (await this.getRun(runId)).info.artifactUri;
      this.artifactUris.set(runId, artifactUri);
    }
    return artifactUri;
  }

  /** `<exp>/<run>/artifacts/<segments>` for a run whose artifacts the server serves (`mlflow-artifacts:/...`). */
  private servedLocation(artifactUri: string, runId: string, segments: string[]): string {
    const served = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(artifactUri);
    if (!served?.[1]) {
      throw new MlflowError(
        `run ${runId} stores artifacts at ${JSON.stringify(artifactUri)}, which this client cannot reach; start the server with --serve-artifacts`,
        "ARTIFACTS_NOT_SERVED",
        false,
      );
    }
    return [...served[1].split("/"), ...segments].join("/");
  }

  async listArtifacts(runId: string, path: string): Promise<string[]> {
    validateRunId(runId);
    if (path !== "") validateArtifactPath(path);
    const location = this.servedLocation(await this.artifactUriOf(runId), runId, path === "" ? [] : path.split("/"));
    const reply = await this.call("GET", `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(location)}`);
    const files = (reply.files as Array<{ path?: unknown }> | undefined) ?? [];
    return files.map((f) => String(f.path ?? "").split("/").pop() ?? "").filter((name) => name !== "");
  }

  /**
   * Lets requests already sent finish, then closes the connections; loads nothing when no request was made.
   * Closing again is harmless; a call after `close` fails with `MlflowError` `STORE_CLOSED`.
   */
  close(): Promise<void> {
    this.closing ??= this.http?.then(({ agent }) => agent.close()) ?? Promise.resolve();
    return this.closing;
  }
}

function pairs(list: Array<{ key: string; value: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of list ?? []) out[key] = value;
  return out;
}

function toRun(run: WireRun | undefined): Run {
  const info = run?.info ?? {};
  const status = String(info.status ?? "RUNNING") as RunStatus;
  const endTime = info.end_time;
  const metrics: Record<string, number> = {};
  for (const m of run?.data?.metrics ?? []) metrics[m.key] = Number(m.value);
  return {
    info: {
      runId: String(info.run_id ?? info.run_uuid),
      experimentId: String(info.experiment_id),
      runName: String(info.run_name ?? ""),
      userId: String(info.user_id ?? ""),
      status: RUN_STATUSES.includes(status) ? status : "RUNNING",
      startTime: Number(info.start_time ?? 0),
      endTime: endTime === undefined || endTime === null ? null : Number(endTime),
      artifactUri: String(info.artifact_uri ?? ""),
      lifecycleStage: String(info.lifecycle_stage ?? "active"),
    },
    data: { metrics, params: pairs(run?.data?.params), tags: pairs(run?.data?.tags) },
  };
}
