import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { messageOf, MlflowError, TrackingValidationError } from "./errors.js";
import { createSchema } from "./sqliteSchema.js";

/** MLflow's own busy timeout on every SQLite session. */
export const MLFLOW_BUSY_TIMEOUT_MS = 20_000;

/** The columns of each table, as this database has them (newer MLflow adds some, e.g. `workspace`). */
export type Columns = ReadonlyMap<string, ReadonlySet<string>>;

export interface OpenedDatabase {
  db: Database.Database;
  columns: Columns;
}

let loaded: typeof Database | undefined;

/**
 * better-sqlite3, loaded by the first store that opens a database. It is required, not imported: opening is
 * synchronous (a `SqliteStore` refuses a bad database in its constructor), and better-sqlite3 is CommonJS. Its
 * native module is tried once, on an in-memory database, so that a module that was never built (its install
 * script did not run) or was built for another Node.js is reported as such, not as a fault of the database file.
 */
function sqlite(): typeof Database {
  if (loaded) return loaded;
  try {
    const Sqlite = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
    new Sqlite(":memory:").close();
    return (loaded = Sqlite);
  } catch (error) {
    throw new MlflowError(
      `SQLite tracking: better-sqlite3's native module did not load (${messageOf(error)}). It is built by the package's install script: ` +
        'run `npm rebuild better-sqlite3` (with python3, make and g++ where no prebuilt binary downloads), after allowing the script ' +
        'where npm asks for it (npm 11.16 and later: `npm approve-scripts better-sqlite3`, which writes "allowScripts": { "better-sqlite3": true } ' +
        "to your package.json); a module built for another Node.js version is rebuilt the same way",
      "INTERNAL_ERROR",
      false,
    );
  }
}

const TRACKING_TABLES = ["experiments", "runs", "tags", "params", "metrics", "latest_metrics"] as const;

function refuse(uri: string, problem: string, expected: string): TrackingValidationError {
  return new TrackingValidationError("trackingUri", `tracking URI ${uri}: ${problem}`, expected, uri);
}

/** SQLite's "database is locked" (SQLITE_BUSY), which a later attempt may get past. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/** SQLite errors as the store's own: a lock timeout may pass (`TEMPORARILY_UNAVAILABLE`, retryable), others not. */
export function storeError(uri: string, error: unknown): Error {
  if (error instanceof MlflowError || error instanceof TrackingValidationError) return error;
  const message = messageOf(error);
  if (isBusy(error)) return new MlflowError(`${uri}: ${message}`, "TEMPORARILY_UNAVAILABLE", true);
  return new MlflowError(`${uri}: ${message}`, "INTERNAL_ERROR", false);
}

function readColumns(db: Database.Database): Map<string, Set<string>> {
  const columns = new Map<string, Set<string>>();
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  for (const table of tables) {
    const names = db.prepare(`PRAGMA table_info("${table.replaceAll('"', '""')}")`).all() as Array<{ name: string }>;
    columns.set(table, new Set(names.map((c) => c.name)));
  }
  return columns;
}

/** Before opening: a missing folder or a file marked read-only is refused, naming the URI. */
function checkPath(path: string, uri: string): void {
  if (!existsSync(dirname(path))) throw refuse(uri, `the folder ${JSON.stringify(dirname(path))} does not exist`, "a database file in a folder that exists");
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isFile()) throw refuse(uri, `${JSON.stringify(path)} is not a file`, "the path of a database file");
  if ((stat.mode & 0o222) === 0) throw refuse(uri, `${JSON.stringify(path)} is read-only; MLflow's database must be writable`, "a writable database file");
}

/**
 * Opens MLflow's SQLite database at `path`, as MLflow opens it: a busy timeout, foreign keys on, case-sensitive
 * LIKE, journal mode left as the file has it. A new or empty file gets MLflow 3.6's whole schema; an existing
 * database is used as it is (its revision is never changed). Refuses, naming `uri`: a file that is not SQLite,
 * a database without MLflow's tables, one that cannot be written.
 */
export function openDatabase(path: string, uri: string, artifactRoot: string, busyTimeoutMs: number): OpenedDatabase {
  checkPath(path, uri);
  const Sqlite = sqlite();
  let db: Database.Database;
  try {
    db = new Sqlite(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw refuse(uri, `cannot be opened: ${messageOf(error)}`, "a database file that can be opened");
  }
  try {
    db.pragma("foreign_keys = ON");
    db.pragma("case_sensitive_like = ON");
    let columns = readColumnsOrRefuse(db, uri);
    if (columns.size === 0) {
      createSchema(db, artifactRoot);
      columns = readColumns(db);
    }
    const missing = TRACKING_TABLES.filter((table) => !columns.has(table));
    if (missing.length > 0) {
      throw refuse(uri, `the database is not MLflow's: it has no ${missing.map((t) => JSON.stringify(t)).join(", ")} table`, "MLflow's SQLite database or an empty file");
    }
    probeWrite(db, uri);
    return { db, columns };
  } catch (error) {
    db.close();
    throw error instanceof TrackingValidationError ? error : storeError(uri, error);
  }
}

function readColumnsOrRefuse(db: Database.Database, uri: string): Map<string, Set<string>> {
  try {
    return readColumns(db);
  } catch (error) {
    if ((error as { code?: unknown }).code === "SQLITE_NOTADB") throw refuse(uri, "the file is not an SQLite database", "an SQLite database file");
    throw error;
  }
}

/** A write transaction opened and rolled back: a read-only file or folder fails here, before any record. */
function probeWrite(db: Database.Database, uri: string): void {
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    if (isBusy(error)) return;
    throw refuse(uri, `cannot be written: ${messageOf(error)}`, "a writable database file");
  }
}
