// @ts-check
// How a `renubu` verb reads its arguments, and how it says a mistake in them.

/**
 * A mistake in how a verb was called. `main` (local/renubu.mjs) prints the sentence, then
 * the verb's usage, and exits with status 2, as shells and the Supabase CLI do for misuse;
 * a failure of the work itself stays status 1.
 */
export class UsageError extends Error {
  /** @param {string} sentence what is wrong, naming the value given and what is allowed */
  constructor(sentence) {
    super(sentence);
    this.name = 'UsageError';
  }
}

/**
 * A value as the person typed it, quoted when it would not read as one word.
 * @param {string} text
 */
export const shown = (text) => (/^\S+$/.test(text) ? text : JSON.stringify(text));

/** @param {string[]} names */
const listed = (names) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/**
 * The arguments of one verb: `valued` flags take the next argument as their value, `switches`
 * take none, and up to `words` plain arguments (named `wordName` in a refusal) may stand
 * among them. Anything else — an unknown flag, a flag without its value or given twice, a
 * word too many — is a UsageError naming it, so nothing is silently ignored.
 * @param {string[]} argv
 * @param {{ verb: string, valued?: string[], switches?: string[], words?: number, wordName?: string }} accepts
 * @returns {{ flags: Record<string, string>, switches: Set<string>, words: string[] }}
 */
export function readArgs(argv, { verb, valued = [], switches = [], words = 0, wordName = 'word' }) {
  /** @type {Record<string, string>} */
  const flags = {};
  const on = new Set();
  /** @type {string[]} */
  const plain = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (switches.includes(arg)) {
      on.add(arg);
    } else if (valued.includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value.`);
      if (arg in flags) throw new UsageError(`${arg} is given twice (${shown(flags[arg] ?? '')} and ${shown(value)}); give it once.`);
      flags[arg] = value;
      i += 1;
    } else if (arg.startsWith('-')) {
      const known = [...valued, ...switches];
      throw new UsageError(`${verb} does not take ${arg}; ${known.length ? `it takes ${listed(known)}` : 'it takes no options'}.`);
    } else if (plain.length < words) {
      plain.push(arg);
    } else {
      throw new UsageError(words === 0
        ? `${verb} takes nothing more; ${JSON.stringify(arg)} is not one of its arguments.`
        : `${verb} takes ${words === 1 ? 'one' : words} ${wordName}; ${JSON.stringify(arg)} is one too many.`);
    }
  }
  return { flags, switches: on, words: plain };
}

/**
 * A database function's refusal of one of its arguments (22023, the message starting with the
 * argument's name) as a UsageError naming the flag and the value given; any other error as it
 * is. The function keeps the rule; the command says it in its own words.
 * @param {unknown} error
 * @param {Record<string, { flag: string, value: string }>} flagOf the flag and value behind each argument
 */
export function refusedArgument(error, flagOf) {
  const { code, message = '' } = /** @type {{ code?: string, message?: string }} */ (error);
  const argument = /^([a-z_]+) /.exec(message)?.[1] ?? '';
  const given = flagOf[argument];
  if (code !== '22023' || !given) return error;
  const rule = message.slice(argument.length).replace(/ \(got [^)]*\)$/, '');
  return new UsageError(`${given.flag} ${shown(given.value)}${rule}.`);
}

/**
 * A flag's value as a whole number within a range, or a UsageError that says the range.
 * @param {string} flag
 * @param {string} text
 * @param {{ min: number, max?: number, of?: string }} range `of`: what is counted ("hours"), if anything
 */
export function wholeNumber(flag, text, { min, max, of }) {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (n >= min && (max === undefined || n <= max)) return n;
  const allowed = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  throw new UsageError(`${flag} ${shown(text)} is not allowed: give a whole number${of ? ` of ${of}` : ''}, ${allowed}.`);
}
