/** Where `apply` finds and keeps the ids the store gave to refs. */
export interface IdTable {
  get(ref: string): string | undefined;
  set(ref: string, id: string): unknown;
}

/** The ids a batch creates, kept apart from the committed ones until the batch commits (no copy of the whole table per batch). */
export class BatchIds implements IdTable {
  readonly created = new Map<string, string>();
  constructor(private readonly committed: ReadonlyMap<string, string>) {}

  get(ref: string): string | undefined {
    return this.created.get(ref) ?? this.committed.get(ref);
  }

  set(ref: string, id: string): void {
    this.created.set(ref, id);
  }
}
