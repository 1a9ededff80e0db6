/**
 * A Float64Array reused from call to call: `take(size)` returns its first `size` entries, their contents left
 * from earlier use, and grows it when needed. What a take returned belongs to its taker until the next take, so
 * one arena serves one thing at a time (a suggestion's fit of one side, say); a typed array of this size
 * allocated anew each time costs an allocation outside V8's heap and its collection.
 */
export class Arena {
  private buffer = new Float64Array(0);

  take(size: number): Float64Array {
    if (this.buffer.length < size) this.buffer = new Float64Array(Math.max(size, 2 * this.buffer.length));
    return this.buffer.subarray(0, size);
  }
}

/** A fresh array of `size` zeros, or `size` entries taken from `arena`. */
export function arrayOf(size: number, arena?: Arena): Float64Array {
  return arena ? arena.take(size) : new Float64Array(size);
}
