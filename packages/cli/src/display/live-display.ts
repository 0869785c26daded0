import { createLogUpdate } from 'log-update';
import type { SupervisorEvent } from '@baton/core';
import { paletteFor } from './format.js';
import type { ProgressReporter } from './reporter.js';
import { renderBoard } from './render-board.js';
import type { StepBoard } from './step-board.js';

/** How often elapsed times and the spinner are redrawn. */
const REFRESH_MS = 100;

/**
 * The terminal display: one line per step, redrawn in place (log-update) on
 * every event and every 100 ms while the run is going.
 */
export function createLiveDisplay(board: StepBoard, stream: NodeJS.WriteStream, title: () => string): ProgressReporter {
  const palette = paletteFor(stream);
  const update = createLogUpdate(stream, { showCursor: false });
  const draw = () => update(renderBoard(board, palette, Date.now(), title()));
  const timer = setInterval(draw, REFRESH_MS);
  let finished = false;
  const note = (message: string) => {
    if (finished) return void stream.write(`${message}\n`);
    update.clear();
    stream.write(`${message}\n`);
    draw();
  };
  draw();
  return {
    note,
    onEvent(event: SupervisorEvent) {
      board.apply(event);
      // Store warnings (e.g. a torn log tail recovered) have no step row: print them above the display.
      if (event.type === 'checkpoint.warning') note(`checkpoint warning ${event.code}: ${event.message}`);
      else if (!finished) draw();
    },
    finish(options = {}) {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      if (options.keep === false) update.clear();
      else draw();
      update.done();
    },
  };
}
