import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SCHEMA_REVISION } from "../../src/tracking/mlflow/sqliteSchema.js";
import { SqliteStore } from "../../src/tracking/mlflow/sqliteStore.js";
import { useTempDir } from "../support/tempDir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/mlflow/", import.meta.url));
const dir = useTempDir("sqlite-schema");

/** Everything SQLite reports about a table's shape: columns (generated ones too), indexes and their columns, foreign keys. */
function describeSchema(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const out: Record<string, unknown> = {};
    for (const table of tables) {
      const indexes = (db.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number; origin: string; partial: number }>)
        .map((index) => ({
          ...index,
          name: index.name.startsWith("sqlite_autoindex_") ? `auto:${index.origin}` : index.name,
          columns: (db.prepare(`PRAGMA index_info("${index.name}")`).all() as Array<{ name: string }>).map((c) => c.name),
        }))
        .map(({ seq: _seq, ...rest }: Record<string, unknown>) => rest)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      out[table] = {
        columns: db.prepare(`PRAGMA table_xinfo("${table}")`).all(),
        indexes,
        foreignKeys: db.prepare(`PRAGMA foreign_key_list("${table}")`).all(),
      };
    }
    return out;
  } finally {
    db.close();
  }
}

describe("a new SQLite database", () => {
  it("has MLflow 3.6's 34 tables exactly as empty-3.6.db has them, table by table", async () => {
    const path = join(dir(), "mlflow.db");
    await new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") }).close();
    const created = describeSchema(path);
    const expected = describeSchema(join(FIXTURES, "empty-3.6.db"));
    expect(Object.keys(created)).toHaveLength(34);
    expect(Object.keys(created)).toEqual(Object.keys(expected));
    for (const table of Object.keys(expected)) expect(created[table], table).toEqual(expected[table]);
  });

  it("is stamped with revision bf29a5ff90ea and holds the Default experiment 0 under <artifact root>/0", async () => {
    const path = join(dir(), "mlflow.db");
    await new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") }).close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT version_num FROM alembic_version").pluck().all()).toEqual([SCHEMA_REVISION]);
    expect(db.prepare("SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments").all()).toEqual([
      { experiment_id: 0, name: "Default", artifact_location: join(dir(), "mlruns", "0"), lifecycle_stage: "active" },
    ]);
    expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
    db.close();
  });

  it("keeps an existing database's revision and journal mode (WAL) as they are", async () => {
    const path = join(dir(), "wal.db");
    copyFileSync(join(FIXTURES, "empty-3.6.db"), path);
    const before = new Database(path);
    before.prepare("UPDATE alembic_version SET version_num = 'a5b4c3d2e1f0'").run();
    before.pragma("journal_mode = WAL");
    before.close();
    const store = new SqliteStore(path, "sqlite:///wal.db", { artifactRoot: join(dir(), "mlruns") });
    await store.getOrCreateExperiment("kept");
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT version_num FROM alembic_version").pluck().all()).toEqual(["a5b4c3d2e1f0"]);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});
