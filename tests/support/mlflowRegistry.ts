/**
 * The Model Registry part of the test server, following MLflow 3.6's REST API as measured: versions are strings,
 * an alias's version must be a string, `latest` and `v<digits>` are reserved aliases, an unknown alias is a 400,
 * an unknown model a 404, a duplicate model a RESOURCE_ALREADY_EXISTS.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StoredVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  status: "READY";
  current_stage: "None";
  description: string;
  run_link: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  tags: Array<{ key: string; value: string }>;
}

export interface StoredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: StoredVersion[];
}

export class TestRegistry {
  readonly models = new Map<string, StoredModel>();

  private model(name: string): StoredModel {
    const model = this.models.get(name);
    if (!model) throw new RegistryError(404, "RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${name} not found`);
    return model;
  }

  private versionJson(model: StoredModel, version: StoredVersion): unknown {
    const aliases = [...model.aliases].filter(([, v]) => v === version.version).map(([alias]) => alias);
    return { ...version, ...(aliases.length > 0 ? { aliases } : {}) };
  }

  /** Answers `<method> <api path>` when it is a registry call, else undefined. */
  route(method: string, api: string, body: Record<string, unknown>, q: URLSearchParams): unknown {
    switch (`${method} ${api}`) {
      case "POST registered-models/create": {
        const name = String(body.name ?? "");
        if (name === "") throw new RegistryError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name'");
        if (this.models.has(name)) throw new RegistryError(400, "RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
        const tags = new Map(((body.tags as Array<{ key: string; value: string }> | undefined) ?? []).map((t) => [t.key, t.value]));
        const now = Date.now();
        this.models.set(name, { name, creation_timestamp: now, last_updated_timestamp: now, tags, aliases: new Map(), versions: [] });
        return { registered_model: { name, creation_timestamp: now, last_updated_timestamp: now, tags: body.tags ?? [] } };
      }
      case "POST registered-models/set-tag":
        this.model(String(body.name)).tags.set(String(body.key), String(body.value));
        return {};
      case "POST model-versions/create":
        return { model_version: this.createVersion(body) };
      case "POST registered-models/alias":
        this.setAlias(body);
        return {};
      case "GET registered-models/alias": {
        const model = this.model(q.get("name") ?? "");
        const version = model.aliases.get(q.get("alias") ?? "");
        const found = model.versions.find((v) => v.version === version);
        if (!found) throw new RegistryError(400, "INVALID_PARAMETER_VALUE", `Registered model alias ${q.get("alias")} not found.`);
        return { model_version: this.versionJson(model, found) };
      }
      case "GET model-versions/search": {
        const name = /^name\s*=\s*'(.*)'$/.exec(q.get("filter") ?? "")?.[1];
        const model = name === undefined ? undefined : this.models.get(name);
        return { model_versions: model ? [...model.versions].reverse().map((v) => this.versionJson(model, v)) : [] };
      }
      default:
        return undefined;
    }
  }

  private createVersion(body: Record<string, unknown>): unknown {
    const model = this.model(String(body.name ?? ""));
    const now = Date.now();
    const version: StoredVersion = {
      name: model.name,
      version: String(model.versions.length + 1),
      source: String(body.source ?? ""),
      run_id: String(body.run_id ?? ""),
      status: "READY",
      current_stage: "None",
      description: "",
      run_link: "",
      creation_timestamp: now,
      last_updated_timestamp: now,
      tags: (body.tags as Array<{ key: string; value: string }> | undefined) ?? [],
    };
    model.versions.push(version);
    model.last_updated_timestamp = now;
    return version;
  }

  private setAlias(body: Record<string, unknown>): void {
    const model = this.model(String(body.name ?? ""));
    const alias = String(body.alias ?? "");
    if (typeof body.version !== "string") throw new RegistryError(400, "INVALID_PARAMETER_VALUE", "Invalid value for 'version': expected a string");
    if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) throw new RegistryError(400, "INVALID_PARAMETER_VALUE", `'${alias}' alias name is reserved.`);
    if (!model.versions.some((v) => v.version === body.version)) {
      throw new RegistryError(404, "RESOURCE_DOES_NOT_EXIST", `Model Version (name=${model.name}, version=${body.version}) not found`);
    }
    model.aliases.set(alias, body.version);
  }
}
