import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workerEntryFile, workerExecArgv } from "../../../src/executors/worker/entryFile.js";
import { tsxImport } from "../../support/processes.js";

describe("the worker entry module and its Node options", () => {
  it("finds the entry beside the pool's module (the TypeScript source here)", () => {
    const file = workerEntryFile();
    expect(file).toMatch(/[\\/]src[\\/]executors[\\/]worker[\\/]entry\.ts$/);
    expect(existsSync(file)).toBe(true);
  });

  it("keeps the process's options but drops tsx's loaders, in both spellings", () => {
    const inherited = [
      "--require", "/app/node_modules/tsx/dist/preflight.cjs",
      "--import", "file:///app/node_modules/tsx/dist/loader.mjs",
      "--import=tsx",
      "--enable-source-maps",
      "--conditions", "development",
    ];
    expect(workerExecArgv("/app/dist/executors/worker/entry.js", inherited)).toEqual(["--enable-source-maps", "--conditions", "development"]);
  });

  it("adds tsx's CommonJS hook, and only that, for a TypeScript entry", () => {
    const args = workerExecArgv("/app/src/executors/worker/entry.ts", ["--import", tsxImport]);
    expect(args).toHaveLength(2);
    expect(args[0]).toBe("--require");
    expect(args[1]).toMatch(/[\\/]tsx[\\/]dist[\\/]cjs[\\/]index\.cjs$/);
  });
});
