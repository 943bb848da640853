/**
 * Reader for Docker's multiplexed attach/exec stream (Tty off): frames of
 * [stream type (1 stdout, 2 stderr), 0, 0, 0, size (uint32 BE)] + payload.
 * Counts every byte and keeps only what the caller wants, so a flood never fills memory.
 */
export class MuxStreamReader {
  private pending: Buffer = Buffer.alloc(0);
  readonly bytes = { stdout: 0, stderr: 0 };

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {}

  get total(): number {
    return this.bytes.stdout + this.bytes.stderr;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      const stream = type === 2 ? 'stderr' : 'stdout';
      this.bytes[stream] += payload.length;
      this.onFrame(stream, payload);
    }
  }
}

/** Keeps the last `max` bytes of a log, remembering how much was dropped before them. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  push(data: Buffer): void {
    this.chunks.push(Buffer.from(data));
    this.size += data.length;
    while (this.size > this.max && this.chunks.length) {
      const over = this.size - this.max;
      const first = this.chunks[0];
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
        this.dropped += over;
      }
    }
  }

  /** Removes `suffix` from the end when the kept bytes end with it (true then). */
  trimSuffix(suffix: Buffer): boolean {
    const buf = Buffer.concat(this.chunks);
    if (suffix.length === 0 || buf.length < suffix.length || !buf.subarray(buf.length - suffix.length).equals(suffix)) return false;
    this.chunks = [buf.subarray(0, buf.length - suffix.length)];
    this.size -= suffix.length;
    return true;
  }

  toString(): string {
    let buf = Buffer.concat(this.chunks);
    if (!this.dropped) return buf.toString('utf8');
    let i = 0;
    while (i < buf.length && i < 4 && (buf[i] & 0xc0) === 0x80) i++; // don't start mid-character
    buf = buf.subarray(i);
    return `[… ${this.dropped + i} earlier bytes not kept …]\n${buf.toString('utf8')}`;
  }
}

/** Collects up to `max` bytes; `overflowed` says whether more arrived. */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  size = 0;
  overflowed = false;

  constructor(private readonly max: number) {}

  push(data: Buffer): void {
    if (this.overflowed) return;
    if (this.size + data.length > this.max) {
      this.overflowed = true;
      return;
    }
    this.chunks.push(Buffer.from(data));
    this.size += data.length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
