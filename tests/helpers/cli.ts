/** The CLI in-process, as tests drive it: `run(argv, io)` with captured streams, no TTY, no colour. */
import { run } from '../../compiler/cli/run';
import type { CliIO } from '../../compiler/cli/io';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mapc <argv>` from `cwd`, capturing both streams. */
export async function runMapc(argv: readonly string[], cwd: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, env: {}, isTTY: false };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
