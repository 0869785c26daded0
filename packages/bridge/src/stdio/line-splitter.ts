/**
 * Splits a byte stream into newline-terminated frames, each capped at `maxBytes`.
 * Works on Buffers (not strings) so the cap counts bytes and multi-byte characters split
 * across chunks decode correctly.
 */
export class LineSplitter {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #stopped = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number, head: string) => void,
  ) {}

  /** Bytes received but not yet terminated by a newline. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Feeds a chunk; calls `onLine` for each complete frame (without its newline). */
  push(chunk: Buffer): void {
    let start = 0;
    while (!this.#stopped) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) {
        this.#keep(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      const line = this.#chunks.length === 0 ? piece : Buffer.concat([...this.#chunks, piece]);
      this.#chunks = [];
      this.#buffered = 0;
      if (line.length > this.maxBytes) return this.#oversize(line);
      if (line.length > 0) this.onLine(line.toString('utf8'));
    }
  }

  #keep(rest: Buffer): void {
    if (rest.length === 0) return;
    this.#chunks.push(rest);
    this.#buffered += rest.length;
    // Fail as soon as the cap is passed rather than buffering an unbounded line first.
    if (this.#buffered > this.maxBytes) this.#oversize(Buffer.concat(this.#chunks));
  }

  #oversize(data: Buffer): void {
    this.#stopped = true;
    this.#chunks = [];
    this.onOversize(data.length, data.subarray(0, 200).toString('utf8'));
  }
}
