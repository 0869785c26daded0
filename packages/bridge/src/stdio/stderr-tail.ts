/** Keeps the last `maxBytes` (approximately, in UTF-16 units) of a worker's stderr. */
export class StderrTail {
  #text = '';

  constructor(private readonly maxBytes: number) {}

  /** Appends a chunk, dropping the oldest text beyond the cap. */
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.maxBytes * 2) this.#trim();
  }

  /** The retained tail, starting at a line boundary when one is available. */
  toString(): string {
    this.#trim();
    return this.#text;
  }

  #trim(): void {
    if (this.#text.length <= this.maxBytes) return;
    const cut = this.#text.slice(this.#text.length - this.maxBytes);
    const newline = cut.indexOf('\n');
    this.#text = newline >= 0 && newline < cut.length - 1 ? cut.slice(newline + 1) : cut;
  }
}
