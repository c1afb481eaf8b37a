import { fingerprint } from '../model/fingerprint.js';

/** Where an object was read: the index of its input and its line there (0 when the input has no lines, as LDAP). */
export interface Place {
  input: number;
  line: number;
}

const INITIAL_SLOTS = 1 << 16;

/**
 * The DN keys read so far, to find an object read twice (an OU exported beside its whole domain, a file
 * beside its own .gz, the same data on stdin), which would count it twice. A million-object forest must
 * scan on a laptop, so no DN string is kept: each key is a 64-bit hash in an open-addressing table of
 * typed arrays with the first place beside it, 14 bytes a slot. Two different DNs share a 64-bit hash
 * with a probability of about n²/2^65 (3·10^-8 at a million objects), far below any export's error rate.
 */
export class ObjectsSeen {
  private slots = INITIAL_SLOTS;
  private high = new Uint32Array(INITIAL_SLOTS);
  /** Low half of the hash with its lowest bit set, so that 0 marks a free slot. */
  private low = new Uint32Array(INITIAL_SLOTS);
  private inputs = new Uint16Array(INITIAL_SLOTS);
  private lines = new Uint32Array(INITIAL_SLOTS);
  private count = 0;

  /** Remembers the key; returns where it was read first when it was read before. */
  add(key: string, place: Place): Place | undefined {
    const [high, rawLow] = fingerprint(key);
    const low = (rawLow | 1) >>> 0;
    const at = this.find(high, low);
    if (this.low[at] !== 0) return { input: this.inputs[at] as number, line: this.lines[at] as number };
    this.put(at, high, low, place.input, place.line);
    if (++this.count * 4 > this.slots * 3) this.grow();
    return undefined;
  }

  private find(high: number, low: number): number {
    const mask = this.slots - 1;
    let at = (high ^ low) & mask;
    while (this.low[at] !== 0 && (this.low[at] !== low || this.high[at] !== high)) at = (at + 1) & mask;
    return at;
  }

  private put(at: number, high: number, low: number, input: number, line: number): void {
    this.high[at] = high;
    this.low[at] = low;
    this.inputs[at] = input;
    this.lines[at] = line;
  }

  private grow(): void {
    const { high, low, inputs, lines } = this;
    this.slots *= 2;
    this.high = new Uint32Array(this.slots);
    this.low = new Uint32Array(this.slots);
    this.inputs = new Uint16Array(this.slots);
    this.lines = new Uint32Array(this.slots);
    for (let i = 0; i < low.length; i++) {
      if (low[i] === 0) continue;
      this.put(this.find(high[i] as number, low[i] as number), high[i] as number, low[i] as number, inputs[i] as number, lines[i] as number);
    }
  }
}
