'use strict';
/**
 * Preloaded with `node --require` into a process whose peak memory the benchmark wants when
 * /usr/bin/time is missing: at exit, appends the process's peak resident set size in kB
 * (`process.resourceUsage().maxRSS`) to the file named by MAPC_BENCH_MAXRSS.
 */
const fs = require('node:fs');

process.on('exit', () => {
  const file = process.env.MAPC_BENCH_MAXRSS;
  if (file) fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
