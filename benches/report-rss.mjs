// Loaded with `node --import` before the CLI: prints the process's peak
// resident memory on stderr when it exits (for benches/hostile-bench.mjs).
import { writeSync } from 'node:fs';
process.on('exit', () => writeSync(2, `\nmaxrss-kb=${process.resourceUsage().maxRSS}\n`));
