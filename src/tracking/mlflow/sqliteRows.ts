import type Database from "better-sqlite3";
import type { Columns } from "./sqliteDatabase.js";

type Value = string | number | bigint | null;

/** The table and columns of a row written often; one constant object per kind of row (the statement is found by it). */
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
  /** Per table, kind and the row's keys: the columns written and the statement writing them. */
  private readonly inserts = new Map<string, { names: string[]; statement: Database.Statement }>();
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

  insert(table: string, row: Record<string, Value>, or: "" | " OR IGNORE" = ""): Database.RunResult {
    const keys = Object.keys(row);
    const id = `${table}${or}\u0000${keys.join("\u0000")}`;
    let insert = this.inserts.get(id);
    if (!insert) {
      const names = keys.filter((name) => this.has(table, name));
      const sql = `INSERT${or} INTO ${table} (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
      insert = { names, statement: this.prepare(sql) };
      this.inserts.set(id, insert);
    }
    return insert.statement.run(...insert.names.map((n) => row[n] ?? null));
  }
}
