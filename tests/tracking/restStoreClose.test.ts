import { afterEach, describe, expect, it } from "vitest";
import { MlflowError } from "../../src/tracking/mlflow/errors.js";
import { RestStore } from "../../src/tracking/mlflow/restStore.js";
import { MlflowTestServer } from "../support/mlflowServer.js";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 2000 };
let server: MlflowTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What a call to a closed store fails with, the store's address and the call in its message. */
function storeClosed(store: RestStore, call: string): MlflowError {
  return new MlflowError(`${call} at ${store.uri}: this store is closed`, "STORE_CLOSED", false);
}

async function expectRefused(store: RestStore): Promise<void> {
  await expect(store.getExperimentByName("Default")).rejects.toEqual(storeClosed(store, "GET /api/2.0/mlflow/experiments/get-by-name"));
  await expect(store.getExperimentByName("Default")).rejects.toMatchObject({ name: "MlflowError", errorCode: "STORE_CLOSED", retryable: false });
  await expect(store.createRun({ experimentId: "0", startTime: 1, runName: "r", userId: "u", tags: [] })).rejects.toEqual(
    storeClosed(store, "POST /api/2.0/mlflow/runs/create"),
  );
  await expect(store.registry.createRegisteredModel("m")).rejects.toMatchObject({ errorCode: "STORE_CLOSED", retryable: false });
}

describe("RestStore.close", () => {
  it("closes a store that never sent a request, twice, and then refuses every call without sending it", async () => {
    server = await new MlflowTestServer().start();
    const store = new RestStore(server.url, { credentials: {}, retry: FAST });
    await store.close();
    await store.close();
    await expectRefused(store);
    expect(server.requests).toEqual([]);
  });

  it("closes a store that has sent requests, twice, and then refuses every call with the same error, without retrying", async () => {
    server = await new MlflowTestServer().start();
    const store = new RestStore(server.url, { credentials: {}, retry: FAST });
    expect(await store.getOrCreateExperiment("closing")).toBe("1");
    const sent = server.requests.length;
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await expectRefused(store);
    expect(server.requests).toHaveLength(sent);
  });

  it("lets a request already sent finish before it closes", async () => {
    server = await new MlflowTestServer().start();
    server.delayMs = 200;
    const store = new RestStore(server.url, { credentials: {}, retry: FAST });
    const pending = store.getExperimentByName("Default");
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await store.close();
    await expect(pending).resolves.toMatchObject({ experimentId: "0", name: "Default" });
  });

  it("stops a call waiting to retry with the same error when the store closes meanwhile", async () => {
    server = await new MlflowTestServer().start();
    server.faults.push(503);
    const store = new RestStore(server.url, { credentials: {}, retry: { ...FAST, baseDelayMs: 300, maxDelayMs: 300 } });
    const pending = store.getExperimentByName("Default");
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await store.close();
    await expect(pending).rejects.toEqual(storeClosed(store, "GET /api/2.0/mlflow/experiments/get-by-name"));
    expect(server.requests).toHaveLength(1);
  });
});
