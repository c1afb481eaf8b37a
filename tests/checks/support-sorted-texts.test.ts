import { describe, expect, it } from 'vitest';
import { TextSorter } from '../../src/checks/support/sorted-texts.js';
import { compareText } from '../../src/model/order.js';

/** A small deterministic generator: the same texts every run. */
function* pseudoRandom(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    yield state;
  }
}

/**
 * Texts where UTF-8 byte order and UTF-16 code-unit order disagree (U+FF21 sorts after a surrogate pair in bytes,
 * before it in code units), with repeats, an empty text and texts longer than a page of the spill store.
 */
function awkwardTexts(count: number): string[] {
  const alphabet = ['a', 'B', ' ', '\u00e9', '\uff21', '\u{1f600}', '\u0000', 'z'];
  const random = pseudoRandom(7);
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 0) return '';
    if (i === 500) return 'x'.repeat(3 << 20);
    let text = '';
    const length = (random.next().value as number) % 6;
    for (let c = 0; c < length; c++) text += alphabet[(random.next().value as number) % alphabet.length];
    return text;
  });
}

/** What the sorted list must equal: an in-memory stable sort, with each text's position in the input. */
function expectedOrder(texts: string[]): number[] {
  return texts.map((_, i) => i).sort((a, b) => compareText(texts[a] ?? '', texts[b] ?? ''));
}

describe('TextSorter', () => {
  it('sorts as a stable in-memory sort by UTF-16 code units would, within one run', () => {
    const texts = awkwardTexts(2000);
    const sorter = new TextSorter();
    for (const text of texts) sorter.add(text);
    const sorted = sorter.sorted();
    const order = expectedOrder(texts);
    expect([...sorted.sources()]).toEqual(order);
    expect(Array.from({ length: sorted.length }, (_, i) => sorted.at(i))).toEqual(order.map((i) => texts[i]));
  });

  it('sorts many runs spilled to a temporary file, merged as one stable sort would', () => {
    const texts = awkwardTexts(5000);
    const sorter = new TextSorter(64, { pagesInMemory: 1 });
    for (const text of texts) sorter.add(text);
    const sorted = sorter.sorted();
    const order = expectedOrder(texts);
    expect([...sorted.sources()]).toEqual(order);
    expect([...sorted.view()]).toEqual(order.map((i) => texts[i]));
  });

  it('reads texts out of order as well as in order, also from pages in the temporary file', () => {
    const texts = Array.from({ length: 60_000 }, (_, i) => `line ${String(59_999 - i).padStart(6, '0')} ${'-'.repeat(40)}`);
    const sorter = new TextSorter(1000, { pagesInMemory: 1 });
    for (const text of texts) sorter.add(text);
    const sorted = sorter.sorted();
    for (const index of [59_999, 0, 31_000, 30_999, 31_001, 5, 59_998]) expect(sorted.at(index)).toBe(texts[59_999 - index]);
    expect(() => sorted.at(60_000)).toThrow(RangeError);
  });

  it('gives an empty list for no texts', () => {
    const sorted = new TextSorter().sorted();
    expect(sorted.length).toBe(0);
    expect([...sorted.sources()]).toEqual([]);
    expect(sorted.view()).toEqual([]);
  });

  it('reads as a read-only string[] wherever the report reads one', () => {
    const sorter = new TextSorter();
    for (const text of ['b', 'a', 'c']) sorter.add(text);
    const view = sorter.sorted().view();
    expect(Array.isArray(view)).toBe(true);
    expect(JSON.stringify(view)).toBe('["a","b","c"]');
    expect(view.map((text) => text.toUpperCase())).toEqual(['A', 'B', 'C']);
    expect(() => (view as string[]).push('d')).toThrow(/read-only/);
  });
});
