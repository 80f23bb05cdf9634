/**
 * `run(argv, io) → exit code`: the whole CLI, testable in-process. Commander stays in this
 * layer; commands call the pipeline and print diagnostics. User mistakes exit 1 with
 * diagnostics, usage mistakes 2, bugs 3 with one line asking for a report (never a stack
 * trace unless MAPC_DEBUG is set).
 */
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version } from './version';
import { EXIT, type CliIO } from './io';
import { buildCommand, checkCommand, validateCommand } from './commands/build';
import { schemaCommand } from './commands/schema';
import { LAYOUTS, TARGETS } from '../output';
import { diffCommand } from './commands/diff';
import { ownersCommand } from './commands/owners';
import { catalogCommand } from './commands/catalog';
import { initCommand } from './commands/init';
import { testCommand } from './commands/test';
import { backfillCommand } from './commands/backfill';
import { previewCommand } from './commands/preview';
import { watch } from './watch';
import { findProject, outFor } from './discover';

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let exit: number = EXIT.ok;
  const program = new Command();
  program
    .name('mapc')
    .description('Compile YAML mapping specs into Auth0 Actions.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run `mapc --help` for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) });

  const projectOpt = () =>
    new Option('-p, --project <dir>', 'folder holding mapc.yaml and the specs (default: found from here upwards, else mappings)').default('mappings');
  const outOpt = () => new Option('-o, --out <dir>', 'output folder (default: generated beside the project folder)').default('generated');
  const layoutOpt = () =>
    new Option('-l, --layout <layout>', 'output layout: tenant.yaml, or the Deploy CLI directory format')
      .choices([...LAYOUTS])
      .default('yaml');
  const targetOpt = () =>
    new Option('--target <target>', 'how the output is deployed: the Auth0 Deploy CLI, or Terraform (main.tf.json for the auth0 provider)')
      .choices([...TARGETS])
      .default('deploy-cli');
  const formatOpt = (sarif = true) =>
    sarif
      ? new Option('-f, --format <format>', 'diagnostics format (sarif: SARIF 2.1.0, for code scanning)').choices(['text', 'json', 'sarif']).default('text')
      : new Option('-f, --format <format>', 'diagnostics format').choices(['text', 'json']).default('text');

  const concurrencyOpt = (what: string) =>
    new Option('-c, --concurrency <n>', what)
      .argParser((v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
        return n;
      })
      .default(8);

  program
    .command('build')
    .description('validate the specs and write the Actions to the output folder')
    .addOption(projectOpt())
    .addOption(outOpt())
    .addOption(layoutOpt())
    .addOption(targetOpt())
    .addOption(formatOpt())
    .option('-w, --watch', 'build again each time a file of the project is saved (until stopped)')
    .action(async (o) => {
      exit = o.watch ? await watch(io, { root: path.resolve(io.cwd, o.project), run: () => buildCommand(io, o) }) : await buildCommand(io, o);
    });
  program
    .command('validate')
    .description('report everything build and test would refuse (the CI gate); writes nothing')
    .addOption(projectOpt())
    .addOption(formatOpt())
    .action(async (o) => {
      exit = await validateCommand(io, o);
    });
  program
    .command('check')
    .description('validate, and fail if the output folder differs from a fresh build (drift)')
    .addOption(projectOpt())
    .addOption(outOpt())
    .addOption(layoutOpt())
    .addOption(targetOpt())
    .addOption(formatOpt())
    .action(async (o) => {
      exit = await checkCommand(io, o);
    });
  program
    .command('schema')
    .description('print the JSON Schema of spec files (or --kind project|test) for editors')
    .addOption(new Option('-k, --kind <kind>', 'which schema').choices(['spec', 'project', 'test']).default('spec'))
    .option('-o, --out <dir>', 'write all three schemas as <dir>/{project,spec,test}.schema.json instead')
    .action(async (o) => {
      exit = await schemaCommand(io, o);
    });
  program
    .command('init')
    .description('scaffold a project folder: mapc.yaml, one spec and its test file (never overwrites)')
    .addOption(projectOpt())
    .addOption(formatOpt(false))
    .action(async (o) => {
      exit = await initCommand(io, o);
    });
  program
    .command('test')
    .description('run the *.test.yaml cases against the Actions built in memory (filter: part of a spec or case name)')
    .argument('[filter]', 'run only cases whose spec or case name contains this text')
    .addOption(projectOpt())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('-j, --jobs <n>', 'cases run at the same time').argParser((v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
        return n;
      }),
    )
    .option('-w, --watch', 'run the cases again each time a file of the project is saved (until stopped)')
    .action(async (filter: string | undefined, o) => {
      exit = o.watch ? await watch(io, { root: path.resolve(io.cwd, o.project), run: (changed) => testCommand(io, filter, { ...o, changed }) }) : await testCommand(io, filter, o);
    });

  program
    .command('diff')
    .description('semantic diff of the specs at a git ref (default HEAD) against the working tree, for reviewers')
    .argument('[base-ref]', 'git ref of the base (default HEAD; origin/main in a pull request)')
    .addOption(projectOpt())
    .option('--base-dir <dir>', 'compare against a project folder instead of a git ref')
    .addOption(new Option('-f, --format <format>', 'output format (html: one page with the lineage graph, changed nodes highlighted)').choices(['text', 'markdown', 'json', 'html']).default('text'))
    .addOption(new Option('--fail-on <what>', 'exit 1 when there are risky changes, or any change').choices(['risky', 'any']))
    .option('--users <file>', 'also run exported users (NDJSON, .gz or not) through base and head, and report the impact (docs/preview.md)')
    .option('--systems <file>', 'with --users: recorded responses per system instead of the *.test.yaml stubs')
    .action(async (ref: string | undefined, o) => {
      exit = await diffCommand(io, ref, o);
    });
  program
    .command('preview')
    .description('what the built Actions would do to exported users: writes per target, access outcomes, system calls (offline; docs/preview.md)')
    .requiredOption('--users <file>', 'exported users (NDJSON, one user a line, .gz or not)')
    .addOption(projectOpt())
    .option('-s, --spec <name>', 'report only this spec (its Action runs whole, as in Auth0)')
    .option('--systems <file>', 'recorded responses per system (YAML or JSON) instead of the *.test.yaml stubs')
    .addOption(concurrencyOpt('users run at the same time'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (o) => {
      exit = await previewCommand(io, o);
    });
  program
    .command('backfill')
    .description('bring existing users up to date with a spec\'s metadata fields (dry run unless --apply; docs/backfill.md)')
    .requiredOption('-s, --spec <name>', 'the spec whose app_metadata / user_metadata fields to backfill')
    .addOption(projectOpt())
    .option('--users <file>', 'exported users (NDJSON, one user a line, .gz or not) instead of an Auth0 export job')
    .option('--out <file>', 'write the changeset here: one {user_id, app_metadata?, user_metadata?} line per changed user')
    .option('--apply', 'write the changes to Auth0 (PATCH /api/v2/users/{id}); without it nothing is written to Auth0')
    .option('--rate <rate>', 'most writes in any 1 s window (16, 2.5), or per minute (200/min)', '5')
    .option('--journal <file>', 'record finished users here (append-only); a rerun skips them (default mapc-backfill-<spec>.journal)')
    .addOption(concurrencyOpt('users computed at the same time (concurrent lookups per run)'))
    .addOption(formatOpt(false))
    .action(async (o) => {
      exit = await backfillCommand(io, o);
    });
  program
    .command('owners')
    .description('print a CODEOWNERS block for the specs from their owner: fields')
    .addOption(projectOpt())
    .option('--org <org>', 'GitHub organisation of the teams (@org/team)')
    .option('--project-owner <owner>', 'owner of mapc.yaml (systems, secrets, attribute registry)')
    .action(async (o) => {
      exit = await ownersCommand(io, o);
    });

  program
    .command('catalog')
    .description('write a browsable HTML catalog: attributes, lineage, systems, triggers, owners (static, works offline)')
    .addOption(projectOpt())
    .addOption(new Option('-o, --out <dir>', 'output folder (default: catalog beside the project folder)').default('catalog'))
    .addOption(formatOpt(false))
    .action(async (o) => {
      exit = await catalogCommand(io, o);
    });

  // Without -p, the project is found from the working folder upwards (./discover.ts), and the
  // output goes beside it; `init` creates one where it is told.
  program.hook('preAction', (_root, command) => {
    if (command.name() === 'init' || command.getOptionValueSource('project') !== 'default') return;
    const found = findProject(io.cwd);
    if (found === null) return;
    command.setOptionValueWithSource('project', found, 'config');
    if (command.getOptionValueSource('out') === 'default') command.setOptionValueWithSource('out', outFor(io.cwd, found, command.name() === 'catalog' ? 'catalog' : 'generated'), 'config');
  });

  if (argv.length === 0) {
    // A bare `mapc` asks what it can do: the help, on stdout, successfully.
    io.stdout(program.helpInformation());
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    return internalError(io, err);
  }
}

/** One line, no stack: a bug in mapc, not the user's mistake. */
export function internalError(io: CliIO, err: unknown): number {
  const msg = err instanceof Error ? err.message : String(err);
  io.stderr(
    `mapc: internal error MAPC0900: ${msg.split('\n')[0]}\n` +
      'This is a bug in mapc, not in your specs. Please report it with the command you ran (set MAPC_DEBUG=1 for details).\n',
  );
  if (io.env['MAPC_DEBUG'] && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
  return EXIT.internal;
}
