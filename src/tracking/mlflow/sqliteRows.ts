import type Database from "better-sqlite3";
import type { Columns } from "./sqliteDatabase.js";

type Value = string | number | bigint | null;

/** The table and columns of a kind of row; one object per kind (the statement is found by it). */
export interface RowShape {
  table: string;
  columns: readonly string[];
  or?: " OR IGNORE" | " OR REPLACE";
}

/**
 * Writes rows naming only the columns this database has: a newer MLflow's extra columns (such as `workspace`)
 * keep their defaults, and statements are prepared once per table and column set.
 */
export class RowWriter {
  private readonly statements = new Map<string, Database.Statement>();
  /** Per table, kind and the row's keys: the shape such rows are written by. */
  private readonly inserts = new Map<string, RowShape>();
  private readonly shaped = new Map<RowShape, (values: Value[]) => Database.RunResult>();

  /**
   * While a batch transaction is open (`BEGIN IMMEDIATE` held, so no other connection writes): the runs it
   * created, each with the metric keys of the `latest_metrics` rows it may hold, and the experiment rows it
   * read. Statements these answer are skipped; undefined outside a batch.
   */
  batch: { runs: Map<string, Set<string>>; experiments: Map<number, unknown> } | undefined;

  constructor(
    readonly db: Database.Database,
    private readonly columns: Columns,
  ) {}

  has(table: string, column: string): boolean {
    return this.columns.get(table)?.has(column) ?? false;
  }

  /** A statement prepared once. */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Inserts one row of `shape`, its values in the order of `shape.columns`: for the rows written for every trial,
   * with no object or key string made per row. Columns this database lacks are left out.
   */
  insertValues(shape: RowShape, ...values: Value[]): Database.RunResult {
    let insert = this.shaped.get(shape);
    if (!insert) {
      const kept = shape.columns.flatMap((name, index) => (this.has(shape.table, name) ? [index] : []));
      const names = kept.map((index) => `"${shape.columns[index]}"`);
      const statement = this.prepare(`INSERT${shape.or ?? ""} INTO ${shape.table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`);
      insert = kept.length === shape.columns.length ? (row) => statement.run(row) : (row) => statement.run(kept.map((index) => row[index] ?? null));
      this.shaped.set(shape, insert);
    }
    return insert(values);
  }

  /** Inserts one row given as an object (its keys are the columns), through the shape of its table, kind and keys. */
  insert(table: string, row: Record<string, Value>, or: "" | " OR IGNORE" = ""): Database.RunResult {
    const keys = Object.keys(row);
    const id = `${table}${or}\u0000${keys.join("\u0000")}`;
    let shape = this.inserts.get(id);
    if (!shape) this.inserts.set(id, (shape = { table, columns: keys, ...(or === "" ? {} : { or }) }));
    return this.insertValues(shape, ...keys.map((key) => row[key] ?? null));
  }
}
