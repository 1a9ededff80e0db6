export interface Credentials {
  token?: string;
  username?: string;
  password?: string;
}

/** Credentials from `MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const out: Credentials = {};
  if (env.MLFLOW_TRACKING_TOKEN) out.token = env.MLFLOW_TRACKING_TOKEN;
  if (env.MLFLOW_TRACKING_USERNAME) out.username = env.MLFLOW_TRACKING_USERNAME;
  if (env.MLFLOW_TRACKING_PASSWORD) out.password = env.MLFLOW_TRACKING_PASSWORD;
  return out;
}

/** The `Authorization` header value: a bearer token wins over basic auth. */
export function authorizationHeader(credentials: Credentials): string | undefined {
  if (credentials.token) return `Bearer ${credentials.token}`;
  if (credentials.username !== undefined || credentials.password !== undefined) {
    const pair = `${credentials.username ?? ""}:${credentials.password ?? ""}`;
    return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
  }
  return undefined;
}

/** `MLFLOW_TRACKING_INSECURE_TLS=true` turns off certificate checks. */
export function insecureTlsFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.MLFLOW_TRACKING_INSECURE_TLS ?? "");
}

/** `text` with every secret replaced by `***`. */
export function redactSecrets(text: string, credentials: Credentials): string {
  let out = text;
  const secrets = [credentials.token, credentials.password, authorizationHeader(credentials)];
  if (credentials.username !== undefined || credentials.password !== undefined) {
    secrets.push(Buffer.from(`${credentials.username ?? ""}:${credentials.password ?? ""}`).toString("base64"));
  }
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join("***");
  }
  return out;
}
