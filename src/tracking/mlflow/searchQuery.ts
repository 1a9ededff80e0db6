import { TrackingValidationError } from "./errors.js";
import type { Run } from "./types.js";

type Entity = "metrics" | "params" | "tags" | "attributes";
type Op = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface Clause {
  entity: Entity;
  key: string;
  op: Op;
  value: string | number;
}

const CLAUSE =
  /^\s*(metrics|metric|params|param|parameters|tags|tag|attributes|attribute|attr|run)\.(`[^`]+`|"[^"]+"|[A-Za-z0-9_.:/\- ]+?)\s*(=|!=|<=|>=|<|>)\s*('(?:[^']*)'|"(?:[^"]*)"|-?[0-9.eE+-]+)\s*$/;

const FILTER_EXPECTED = "clauses <metrics|params|tags|attributes>.<key> <=|!=|<|<=|>|>=> <quoted string or number>, joined by AND";
const ATTRIBUTES = "run_id, run_name, status, start_time, end_time, user_id";

function entityOf(word: string): Entity {
  if (word.startsWith("metric")) return "metrics";
  if (word.startsWith("param")) return "params";
  if (word.startsWith("tag")) return "tags";
  return "attributes";
}

function unquote(text: string): string {
  const first = text[0];
  return first === "`" || first === '"' || first === "'" ? text.slice(1, -1) : text;
}

/** Parses the subset of MLflow's run filter the file store serves: clauses joined by AND. */
export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || filter.trim() === "") return [];
  return filter.split(/\s+AND\s+/i).map((part) => {
    const match = CLAUSE.exec(part);
    if (!match) throw new TrackingValidationError("filter", `filter clause ${JSON.stringify(part.trim())} is not supported`, FILTER_EXPECTED, part.trim());
    const [, word = "", rawKey = "", op = "=", rawValue = ""] = match;
    const entity = entityOf(word);
    const quoted = rawValue.startsWith("'") || rawValue.startsWith('"');
    return { entity, key: unquote(rawKey), op: op as Op, value: quoted ? unquote(rawValue) : Number(rawValue) };
  });
}

function attribute(run: Run, key: string): string | number | null {
  switch (key) {
    case "run_id":
      return run.info.runId;
    case "run_name":
      return run.info.runName;
    case "status":
      return run.info.status;
    case "start_time":
      return run.info.startTime;
    case "end_time":
      return run.info.endTime;
    case "user_id":
      return run.info.userId;
    default:
      throw new TrackingValidationError("filter", `filter attribute ${JSON.stringify(key)} is not supported`, `an attribute among ${ATTRIBUTES}`, key);
  }
}

function valueOf(run: Run, entity: Entity, key: string): string | number | null | undefined {
  if (entity === "attributes") return attribute(run, key);
  return run.data[entity][key];
}

function compare(left: string | number, op: Op, right: string | number): boolean {
  switch (op) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

export function matchesFilter(run: Run, clauses: readonly Clause[]): boolean {
  return clauses.every((clause) => {
    const value = valueOf(run, clause.entity, clause.key);
    if (value === undefined || value === null) return false;
    return compare(value, clause.op, clause.value);
  });
}

interface Order {
  entity: Entity;
  key: string;
  ascending: boolean;
}

export function parseOrderBy(orderBy: readonly string[] | undefined): Order[] {
  return (orderBy ?? []).map((item) => {
    const match = /^\s*(?:(metrics|params|tags|attributes|attribute)\.)?(`[^`]+`|"[^"]+"|[^\s]+)\s*(ASC|DESC)?\s*$/i.exec(item);
    if (!match) throw new TrackingValidationError("order_by", `order_by ${JSON.stringify(item)} is not supported`, "[metrics.|params.|tags.|attributes.]<key> [ASC|DESC]", item);
    const [, word = "attributes", key = "", direction = "ASC"] = match;
    return { entity: entityOf(word.toLowerCase()), key: unquote(key), ascending: direction.toUpperCase() === "ASC" };
  });
}

/** MLflow's order: the given keys (runs lacking a value last), then start time descending, then run id. */
export function compareRuns(orders: readonly Order[]): (a: Run, b: Run) => number {
  return (a, b) => {
    for (const order of orders) {
      const x = valueOf(a, order.entity, order.key);
      const y = valueOf(b, order.entity, order.key);
      const xMissing = x === undefined || x === null || (typeof x === "number" && Number.isNaN(x));
      const yMissing = y === undefined || y === null || (typeof y === "number" && Number.isNaN(y));
      if (xMissing || yMissing) {
        if (xMissing && yMissing) continue;
        return xMissing ? 1 : -1;
      }
      if (x === y) continue;
      const less = x < y ? -1 : 1;
      return order.ascending ? less : -less;
    }
    if (a.info.startTime !== b.info.startTime) return b.info.startTime - a.info.startTime;
    return a.info.runId < b.info.runId ? -1 : a.info.runId > b.info.runId ? 1 : 0;
  };
}
