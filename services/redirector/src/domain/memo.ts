/**
 * Memoises a pure function of a string in a bounded map (emptied when full). For values with
 * few distinct inputs on the hot path — user agents, visitor IPs — where recomputing costs more
 * than the lookup.
 */
export function memoise<T>(fn: (input: string) => T, max = 10_000): (input: string) => T {
  const memo = new Map<string, T>();
  return (input) => {
    let value = memo.get(input);
    if (value === undefined && !memo.has(input)) {
      if (memo.size >= max) memo.clear();
      value = fn(input);
      memo.set(input, value);
    }
    return value as T;
  };
}
