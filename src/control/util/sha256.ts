// SHA-256 in plain TypeScript (FIPS 180-4), for digests computed inside the deterministic core,
// which may not import node:crypto.

const roundConstants = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const initialHash = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

function compress(hash: Uint32Array, block: Uint8Array, offset: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let [a, b, c, d, e, f, g, h] = hash as unknown as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let i = 0; i < 64; i++) {
    const t1 =
      (h +
        (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
        ((e & f) ^ (~e & g)) +
        roundConstants[i]! +
        w[i]!) >>>
      0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  const next = [a, b, c, d, e, f, g, h];
  for (let i = 0; i < 8; i++) hash[i] = (hash[i]! + next[i]!) >>> 0;
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Incremental SHA-256: update() with text or bytes, then hex() once. */
export class Sha256 {
  readonly #hash = new Uint32Array(initialHash);
  readonly #buffer = new Uint8Array(64);
  readonly #w = new Uint32Array(64);
  #buffered = 0;
  #length = 0;

  update(data: string | Uint8Array): this {
    const bytes = typeof data === 'string' ? utf8Bytes(data) : data;
    this.#length += bytes.length;
    let i = 0;
    if (this.#buffered > 0) {
      while (i < bytes.length && this.#buffered < 64) this.#buffer[this.#buffered++] = bytes[i++]!;
      if (this.#buffered < 64) return this;
      compress(this.#hash, this.#buffer, 0, this.#w);
      this.#buffered = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) compress(this.#hash, bytes, i, this.#w);
    while (i < bytes.length) this.#buffer[this.#buffered++] = bytes[i++]!;
    return this;
  }

  /** Finishes the digest; the instance must not be used afterwards. */
  hex(): string {
    const bitLength = this.#length * 8;
    const tail = new Uint8Array(this.#buffered < 56 ? 64 : 128);
    tail.set(this.#buffer.subarray(0, this.#buffered));
    tail[this.#buffered] = 0x80;
    const high = Math.floor(bitLength / 0x100000000);
    const low = bitLength >>> 0;
    const end = tail.length;
    for (let i = 0; i < 4; i++) {
      tail[end - 8 + i] = (high >>> (24 - i * 8)) & 0xff;
      tail[end - 4 + i] = (low >>> (24 - i * 8)) & 0xff;
    }
    for (let off = 0; off < tail.length; off += 64) compress(this.#hash, tail, off, this.#w);
    let out = '';
    for (const word of this.#hash) out += word.toString(16).padStart(8, '0');
    return out;
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return new Sha256().update(data).hex();
}
