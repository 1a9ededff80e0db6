import type { BenchmarkResult } from "./runner.js";
import { meanRanks } from "./statistics.js";

/** Numbers measured elsewhere (another library), shown beside the run's own columns. */
export interface ReferenceColumn {
  name: string;
  /** problem -> budget -> [median, 25th, 75th percentile]. */
  cells: Record<string, Record<string, readonly [number, number, number] | readonly number[]>>;
}

export interface TableOptions {
  references?: readonly ReferenceColumn[];
  /** Columns whose mean rank is reported under each table (default: every column). */
  rankAmong?: readonly string[];
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(4)).toString();
}

interface Column {
  name: string;
  get(problem: string, budget: number): readonly number[] | undefined;
}

/**
 * Markdown tables, one per budget: median [25th, 75th percentile] of the best observed loss for
 * each problem and column, the lowest median of a row in bold, and the mean rank of the medians.
 */
export function formatBenchmarkTable(result: BenchmarkResult, options: TableOptions = {}): string {
  const own: Column[] = result.algorithms.map((name) => ({
    name,
    get: (problem, budget) => {
      const c = result.cells.find((x) => x.algorithm === name && x.problem === problem && x.budget === budget);
      return c && [c.median, c.q25, c.q75];
    },
  }));
  const refs: Column[] = (options.references ?? []).map((r) => ({ name: r.name, get: (problem, budget) => r.cells[problem]?.[String(budget)] }));
  const columns = [...own, ...refs];
  const ranked = columns.filter((c) => !options.rankAmong || options.rankAmong.includes(c.name));
  const out: string[] = [];
  for (const budget of result.budgets) {
    out.push(`### Best observed loss after ${budget} evaluations`, "");
    out.push(`| problem | ${columns.map((c) => c.name).join(" | ")} |`, `|---|${columns.map(() => "---|").join("")}`);
    const rankRows: number[][] = [];
    for (const problem of result.problems) {
      const values = columns.map((c) => c.get(problem, budget));
      const medians = values.map((v) => v?.[0] ?? Infinity);
      const best = Math.min(...medians);
      const cells = values.map((v, i) => {
        if (!v) return "–";
        const text = `${fmt(v[0] as number)} [${fmt(v[1] as number)}, ${fmt(v[2] as number)}]`;
        return medians[i] === best ? `**${text}**` : text;
      });
      out.push(`| ${problem} | ${cells.join(" | ")} |`);
      const rankValues = ranked.map((c) => c.get(problem, budget)?.[0]);
      if (rankValues.every((v) => v !== undefined)) rankRows.push(rankValues as number[]);
    }
    if (rankRows.length > 0 && ranked.length > 1) {
      const ranks = meanRanks(rankRows);
      out.push("", `Mean rank of the median (1 = best) over ${rankRows.length} problems: ${ranked.map((c, i) => `${c.name} ${(ranks[i] as number).toFixed(2)}`).join(", ")}.`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** Where a reference column's median beats one of the run's own algorithms: by budget, problem and column. */
export interface Shortfall {
  budget: number;
  problem: string;
  reference: string;
  theirs: number;
  ours: number;
}

/** Every (budget, problem, reference) where the reference's median is below `algorithm`'s median. */
export function shortfalls(result: BenchmarkResult, references: readonly ReferenceColumn[], algorithm: string): Shortfall[] {
  const out: Shortfall[] = [];
  for (const budget of result.budgets) {
    for (const problem of result.problems) {
      const ours = result.cells.find((c) => c.algorithm === algorithm && c.problem === problem && c.budget === budget)?.median;
      if (ours === undefined) continue;
      for (const r of references) {
        const theirs = r.cells[problem]?.[String(budget)]?.[0];
        if (theirs !== undefined && theirs < ours) out.push({ budget, problem, reference: r.name, theirs, ours });
      }
    }
  }
  return out;
}

/** The shortfalls as a markdown list, grouped by budget, with the gap as a difference and a ratio. */
export function formatShortfalls(list: readonly Shortfall[], algorithm: string): string {
  if (list.length === 0) return `No reference column has a lower median than ${algorithm} on any problem at any budget.`;
  const lines: string[] = [];
  for (const budget of [...new Set(list.map((s) => s.budget))]) {
    lines.push(`- after ${budget} evaluations:`);
    for (const s of list.filter((x) => x.budget === budget)) {
      const ratio = s.theirs > 0 && s.ours > 0 ? `, ${fmt(s.ours / s.theirs)}× theirs` : "";
      lines.push(`  - ${s.problem}: ${s.reference} ${fmt(s.theirs)} against ${fmt(s.ours)} (behind by ${fmt(s.ours - s.theirs)}${ratio})`);
    }
  }
  return lines.join("\n");
}
