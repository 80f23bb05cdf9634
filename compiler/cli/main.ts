import { run } from './run';

/** The process entry point (bin/mapc.js): the only place that reads `process` for I/O, arguments and environment (compiler/output/write.ts also uses the pid, to own its leftover folders, and the MAPC_TEST_CRASH_AT test hook). */
export function main(): void {
  // `mapc test -f json | head` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  const io = {
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    // The first signal asks the command to stop (mapc backfill finishes its writes in flight);
    // a second one quits at once, with the conventional exit code.
    onInterrupt: (handler: () => void) => {
      let seen = false;
      const on = (signal: NodeJS.Signals) => {
        if (seen) process.exit(signal === 'SIGINT' ? 130 : 143);
        seen = true;
        handler();
      };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
    },
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      // run() never rejects; this is the last guard against a stack trace.
      process.stderr.write('mapc: internal error (MAPC0900); please report it.\n');
      process.exitCode = 3;
    },
  );
}
