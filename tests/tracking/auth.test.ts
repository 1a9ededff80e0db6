import { afterEach, describe, expect, it } from "vitest";
import { authorizationHeader, credentialsFromEnv, insecureTlsFromEnv } from "../../src/tracking/mlflow/auth.js";
import { MlflowError } from "../../src/tracking/mlflow/errors.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { RestStore } from "../../src/tracking/mlflow/restStore.js";
import { MlflowTestServer } from "../support/mlflowServer.js";
import { runFixtureSearch } from "../support/searchFixture.js";

const FAST = { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 2000 };
let server: MlflowTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("credentials", () => {
  it("reads token, user and password from the environment; a token wins", () => {
    const env = { MLFLOW_TRACKING_TOKEN: "tok-123", MLFLOW_TRACKING_USERNAME: "ann", MLFLOW_TRACKING_PASSWORD: "pw-456" };
    expect(authorizationHeader(credentialsFromEnv(env))).toBe("Bearer tok-123");
    const basic = authorizationHeader(credentialsFromEnv({ MLFLOW_TRACKING_USERNAME: "ann", MLFLOW_TRACKING_PASSWORD: "pw-456" }));
    expect(basic).toBe(`Basic ${Buffer.from("ann:pw-456").toString("base64")}`);
    expect(authorizationHeader(credentialsFromEnv({}))).toBeUndefined();
    expect(insecureTlsFromEnv({ MLFLOW_TRACKING_INSECURE_TLS: "true" })).toBe(true);
    expect(insecureTlsFromEnv({})).toBe(false);
  });

  it("sends a bearer token on every request", async () => {
    server = await new MlflowTestServer({ authorization: "Bearer tok-123" }).start();
    const store = new RestStore(server.url, { credentials: { token: "tok-123" }, retry: FAST });
    expect(await store.getOrCreateExperiment("auth")).toBe("1");
    expect(server.requests.every((r) => r.headers.authorization === "Bearer tok-123")).toBe(true);
    await store.close();
  });

  it("sends basic auth, also from user:password in the URI", async () => {
    const expected = `Basic ${Buffer.from("ann:s3cret-pw").toString("base64")}`;
    server = await new MlflowTestServer({ authorization: expected }).start();
    const store = new RestStore(`http://ann:s3cret-pw@127.0.0.1:${server.port}`, { credentials: {}, retry: FAST });
    expect(store.uri).not.toContain("s3cret-pw");
    expect(await store.getOrCreateExperiment("auth")).toBe("1");
    await store.close();
  });

  it("never puts credentials in errors or warnings", async () => {
    server = await new MlflowTestServer({ authorization: "Bearer right" }).start();
    const store = new RestStore(server.url, { credentials: { token: "wrong-token-xyz", username: "u", password: "pw-secret-789" }, retry: FAST });
    const error = await store.getOrCreateExperiment("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).errorCode).toBe("HTTP_401");
    expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toMatch(/wrong-token-xyz|pw-secret-789/);

    const warnings: string[] = [];
    const tracker = new MlflowTracker(
      new RestStore(server.url, { credentials: { token: "wrong-token-xyz" }, retry: FAST }),
      { warn: (m) => warnings.push(m), spoolDir: false },
    );
    await runFixtureSearch(tracker);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join("\n")).not.toContain("wrong-token-xyz");
    expect(warnings.join("\n")).toContain("HTTP_401");
  });
});
