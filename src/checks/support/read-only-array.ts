/** What a read-only array view reads: its length, and the item at an index, made when read. */
export interface IndexedItems<T> {
  readonly length: number;
  at(index: number): T;
}

/**
 * A read-only T[] over items kept elsewhere (off the V8 heap, in pages or a temporary file): a Proxy over an empty
 * array, so Array.isArray, zod, JSON.stringify, the array methods and every reporter read it unchanged, and each
 * item is made only when read. Every write throws `${what} is read-only`.
 */
export function readOnlyArray<T>(items: IndexedItems<T>, what: string): readonly T[] {
  return new Proxy<T[]>([], handlerOver(items, what));
}

function handlerOver<T>(items: IndexedItems<T>, what: string): ProxyHandler<T[]> {
  const indexOf = (property: string | symbol): number | undefined => {
    if (typeof property !== 'string' || property === '') return undefined;
    const first = property.charCodeAt(0);
    if (first < 48 || first > 57) return undefined;
    const index = Number(property);
    return Number.isInteger(index) && index < items.length && String(index) === property ? index : undefined;
  };
  const readOnly = (): never => {
    throw new TypeError(`${what} is read-only`);
  };
  return {
    get(target, property, receiver): unknown {
      if (property === 'length') return items.length;
      const index = indexOf(property);
      return index === undefined ? (Reflect.get(target, property, receiver) as unknown) : items.at(index);
    },
    has(target, property) {
      return indexOf(property) !== undefined || Reflect.has(target, property);
    },
    ownKeys(target) {
      return [...Array.from({ length: items.length }, (_, i) => String(i)), ...Reflect.ownKeys(target)];
    },
    getOwnPropertyDescriptor(target, property) {
      if (property === 'length') return { value: items.length, writable: true, enumerable: false, configurable: false };
      const index = indexOf(property);
      if (index === undefined) return Reflect.getOwnPropertyDescriptor(target, property);
      return { value: items.at(index), writable: false, enumerable: true, configurable: true };
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
  };
}
