#!/usr/bin/env node
import { main } from './main.js';

let finished = false;
// If a library promise never settles, Node would exit with code 0 once nothing is left to do:
// a silent "success". Report it as the failure it is.
process.on('beforeExit', () => {
  if (finished) return;
  process.stderr.write('baton: internal error: the command stopped without finishing (a promise never settled)\n');
  process.exit(1);
});

main(process.argv)
  .then(async (code) => {
    finished = true;
    // Exit explicitly so a step that ignored cancellation (a stray timer or socket) cannot keep the process alive,
    // but only after stdout/stderr have taken everything written to them.
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    process.exit(code);
  })
  .catch((error: unknown) => {
    finished = true;
    process.stderr.write(
      `baton: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
