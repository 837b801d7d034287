/** The action's entry point (dist/index.js). */
import { removePendingOutputs } from '../index.js';
import { run } from './main.js';

// A cancelled run (the runner sends SIGINT, then SIGTERM): remove unfinished output files, leave the old ones as they were.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removePendingOutputs();
    process.exit(1);
  });
}

await run();
