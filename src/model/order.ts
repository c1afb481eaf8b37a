/**
 * Ordering that does not depend on the machine's locale or on the order entries were read in, so the same
 * forest gives a byte-identical report whatever the file order.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
