// The command lines of the CLIs (backup, backtest, preflight, soak, stack, dashboards): node:util parseArgs,
// built into Bun, Node and Deno, plus what every one of them answers alike: `--help` prints the
// usage and exits 0; an unknown option, a missing value, a stray or missing argument prints one
// line naming it and exits 2. An option is never taken for a file name (`--help` is not a file).
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** One CLI's command line. */
export interface CliSpec<O extends ParseArgsOptionsConfig> {
  /** The prefix of its error lines (`backup`, `backtest`…). */
  name: string;
  /** Printed for `--help`: the synopsis, then one line per option. */
  usage: string;
  /** Its options, as parseArgs takes them; `help` is added. */
  options: O;
  /** How many arguments that are not options it takes (default none), and what one is (`the backup file`). */
  positionals?: { min: number; max: number; name: string };
}

/** Parsed: the options' values and the arguments; or the exit code the CLI should end with. */
export type CliArgs<O extends ParseArgsOptionsConfig> =
  | {
      ok: true;
      values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values'];
      positionals: string[];
    }
  | { ok: false; exitCode: 0 | 2 };

interface Streams {
  out: (line: string) => void;
  err: (line: string) => void;
}

const STDIO: Streams = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Whether `--help` was asked for, and what is wrong with the command line if anything. */
function check(
  spec: CliSpec<ParseArgsOptionsConfig>,
  argv: string[],
): { help: boolean; problem?: string } {
  // Not strict: parseArgs' own errors run over several lines; these name the token in one.
  const { tokens } = parseArgs({
    args: argv,
    options: spec.options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let help = false;
  let problem: string | undefined;
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const option = spec.options[t.name];
    if (t.name === 'help') help = true;
    else if (!option) problem ??= `unknown option ${t.rawName}`;
    else if (option.type === 'string' && t.value === undefined)
      problem ??= `option ${t.rawName} needs a value`;
    // `--days --json`: parseArgs would take `--json` for the value; a value starting with `-` goes inline.
    else if (option.type === 'string' && !t.inlineValue && t.value!.startsWith('-'))
      problem ??= `option ${t.rawName} needs a value (one starting with "-" as ${t.rawName}=${t.value})`;
    else if (option.type === 'boolean' && t.inlineValue)
      problem ??= `option ${t.rawName} takes no value`;
  }
  const want = spec.positionals ?? { min: 0, max: 0, name: 'argument' };
  if (positionals.length > want.max)
    problem ??= `unexpected argument ${JSON.stringify(positionals[want.max])}`;
  if (positionals.length < want.min) problem ??= `missing ${want.name}`;
  return { help, problem };
}

/**
 * Parses `argv` (the arguments after the script) by `spec`. `--help` anywhere prints the usage
 * on stdout: `{ok: false, exitCode: 0}`. A problem prints `<name>: <problem> (see --help)` on
 * stderr: `{ok: false, exitCode: 2}`.
 */
export function parseCli<O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  argv: string[],
  io: Streams = STDIO,
): CliArgs<O> {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const;
  const all = { ...spec, options } as CliSpec<ParseArgsOptionsConfig>;
  const { help, problem } = check(all, argv);
  if (help) {
    io.out(spec.usage);
    return { ok: false, exitCode: 0 };
  }
  if (problem) {
    io.err(`${spec.name}: ${problem} (see --help)`);
    return { ok: false, exitCode: 2 };
  }
  const parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true });
  return { ok: true, values: parsed.values, positionals: parsed.positionals };
}
