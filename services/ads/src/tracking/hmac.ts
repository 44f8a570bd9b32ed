import { hash } from 'node:crypto'

const BLOCK = 64

/**
 * HMAC-SHA256 (RFC 2104, the same as `createHmac('sha256', secret)` over UTF-8) with the key's
 * pads computed once: two one-shot
 * `crypto.hash` calls per message into reused buffers. `createHmac` sets up the key and a native
 * object per call, which showed as most of the cost of signing a decision's links.
 */
export class HmacSha256 {
  private inner: Buffer
  private readonly outer: Buffer

  constructor(secret: string) {
    let key = Buffer.from(secret, 'utf8')
    if (key.length > BLOCK) key = hash('sha256', key, 'buffer')
    this.inner = Buffer.alloc(BLOCK + 1024, 0x36)
    this.outer = Buffer.alloc(BLOCK + 32, 0x5c)
    for (let i = 0; i < key.length; i++) {
      this.inner[i] = (this.inner[i] as number) ^ (key[i] as number)
      this.outer[i] = (this.outer[i] as number) ^ (key[i] as number)
    }
  }

  /** The MAC of `message` (as UTF-8), base64url-encoded. */
  base64url(message: string): string {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    this.reserve(message.length * 3)
    const n = this.inner.write(message, BLOCK, 'utf8')
    return this.finish(n)
  }

  /** The MAC of `message` (bytes), base64url-encoded. */
  base64urlOfBytes(message: Uint8Array): string {
    this.reserve(message.length)
    this.inner.set(message, BLOCK)
    return this.finish(message.length)
  }

  private reserve(n: number): void {
    if (BLOCK + n > this.inner.length) {
      const bigger = Buffer.alloc(BLOCK + n)
      this.inner.copy(bigger, 0, 0, BLOCK)
      this.inner = bigger
    }
  }

  /** The outer hash of the inner hash over the pad and the message's `n` bytes written after it. */
  private finish(n: number): string {
    hash('sha256', this.inner.subarray(0, BLOCK + n), 'buffer').copy(this.outer, BLOCK)
    return hash('sha256', this.outer, 'base64url')
  }
}
