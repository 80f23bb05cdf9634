/** Everything the CLI touches of the outside world; only main.ts builds one from `process`. */
export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (colour and code frames). */
  readonly isTTY: boolean;
  /**
   * Calls `handler` on the first Ctrl-C (SIGINT) or SIGTERM, so a long command can stop cleanly;
   * returns the function that removes it. Absent in-process (tests): nothing interrupts.
   */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

/** Exit codes (SPEC 7). */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;
