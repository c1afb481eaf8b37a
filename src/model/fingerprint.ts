/**
 * Two independent 32-bit string hashes (FNV-1a and a multiplicative one): together a 64-bit fingerprint,
 * for sets of DN keys that must not keep the strings (millions of members or objects).
 */
export function fingerprint(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}
