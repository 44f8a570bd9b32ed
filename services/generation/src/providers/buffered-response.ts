/**
 * A fetch `Response` over a body already read whole. The `openai` SDK keeps each call's response
 * in WeakMaps (its private fields), whose values V8's young-generation collections keep alive
 * until the next full collection; undici's `Response` builds a ReadableStream with its queue and
 * controller for every body, so every completion used to drag those through each scavenge. This
 * one holds the bytes and the headers, and makes a stream only when `body` is asked for.
 */
export class BufferedResponse implements Response {
  readonly headers: Headers
  readonly ok: boolean
  readonly redirected = false
  readonly status: number
  readonly statusText: string
  readonly type: Response['type'] = 'basic'
  readonly url: string
  private bytes_: Buffer | null
  private stream: ReadableStream<Uint8Array> | null = null
  private used = false

  constructor(bytes: Buffer | null, init: { status: number; statusText: string; headers: Headers; url: string }) {
    this.bytes_ = bytes
    this.status = init.status
    this.ok = init.status >= 200 && init.status < 300
    this.statusText = init.statusText
    this.headers = init.headers
    this.url = init.url
  }

  get bodyUsed(): boolean {
    return this.used
  }

  /** The bytes as a stream (made on first use); reading it uses the body up. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.bytes_ === null) return null
    if (!this.stream) {
      const bytes = this.bytes_
      // Used up when read (pull), not when merely looked at: the SDK reads `body` to link signals.
      this.stream = new ReadableStream<Uint8Array>({
        pull: (controller) => {
          this.used = true
          if (bytes.byteLength > 0) controller.enqueue(new Uint8Array(bytes))
          controller.close()
        },
        cancel: () => {
          this.used = true
        },
      })
    }
    return this.stream
  }

  private take(): Buffer {
    if (this.used || this.stream?.locked) throw new TypeError('Body is unusable: Body has already been read')
    this.used = true
    const bytes = this.bytes_ ?? Buffer.alloc(0)
    this.bytes_ = null
    return bytes
  }

  async text(): Promise<string> {
    return this.take().toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    // A copy: small Buffers share a pooled ArrayBuffer.
    return new Uint8Array(this.take()).buffer
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.take())
  }

  async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.take())], { type: this.headers.get('content-type') ?? '' })
  }

  async formData(): Promise<FormData> {
    throw new TypeError('formData() is not supported for provider responses')
  }

  clone(): Response {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.')
    return new BufferedResponse(this.bytes_ && Buffer.from(this.bytes_), {
      status: this.status,
      statusText: this.statusText,
      headers: new Headers(this.headers),
      url: this.url,
    })
  }
}
