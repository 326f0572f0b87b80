// `renubu --help` names every setting of the stack and every flag a verb takes, so a
// newcomer running a second stack (docs/local-stack.md) learns them from the help itself.
// `renubu <verb> --help` shows that verb's part and does nothing else, and a mistake in a
// verb's arguments is a sentence naming the bad value and what is allowed, then the verb's
// usage, with exit status 2, before anything is started, stopped or asked of the database.
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.mjs';

const cli = path.resolve('local/cli.mjs');
// A stack that cannot exist (a data dir under a file, ports nobody serves): a verb that
// wrongly went on to start, stop or query a stack fails here instead of touching a real one.
const nowhere = {
  ...process.env,
  RENUBU_DATA_DIR: '/dev/null/renubu-cli-help',
  RENUBU_API_PORT: '9', RENUBU_DB_PORT: '9', RENUBU_WEB_PORT: '9', RENUBU_MAIL_PORT: '9',
  RENUBU_WEBHOOK_SECRET: '',
};
const renubu = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: nowhere, timeout: 30_000 });
// A webhook secret of the whole form (whsec_ and the base64 of its key), for the cases that are about something else.
const WHOLE_SECRET = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA';

const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
const helpLine = (verb: string) => help.split('\n').find((line) => line.startsWith(`  renubu ${verb}`)) ?? '';

describe('renubu --help', () => {
  it('names every RENUBU_ variable the stack reads for its ports and data dir, with its default', () => {
    const config = readFileSync(path.resolve('local/config.mjs'), 'utf8');
    const ports = [...config.matchAll(/int\(env, '(RENUBU_[A-Z_]+)', (\d+)\)/g)];
    expect(ports.map(([, name]) => name)).toContain('RENUBU_MAIL_PORT');
    for (const [, name, fallback] of ports) expect(help).toContain(`${name} (${fallback})`);
    expect(help).toContain('RENUBU_DATA_DIR');
  });

  it('lists every flag that token, org create, ingest and seed accept on their line', () => {
    const accepted = (file: string) => {
      const source = readFileSync(path.resolve(file), 'utf8');
      const list = /export const FLAGS = \[([^\]]*)\]/.exec(source)?.[1] ?? '';
      return list.match(/--[a-z-]+/g) ?? [];
    };
    for (const [verb, file] of [['token', 'local/token.mjs'], ['org create', 'local/org-create.mjs'], ['ingest', 'local/ingest.mjs']] as const) {
      const flags = accepted(file);
      expect(flags.length, file).toBeGreaterThan(1);
      for (const flag of flags) expect(helpLine(verb), `${verb} ${flag}`).toContain(flag);
    }
    for (const flag of ['--scale', '--org']) expect(helpLine('seed')).toContain(flag);
  });
});

describe('renubu <verb> --help', () => {
  for (const verb of ['start', 'stop', 'status', 'db', 'seed', 'org', 'token', 'ingest']) {
    it(`renubu ${verb} --help shows the ${verb} usage and does nothing else`, () => {
      for (const flag of ['--help', '-h']) {
        const shown = renubu(...verb.split(' '), flag);
        expect(shown.status, shown.stderr).toBe(0);
        expect(shown.stdout).toContain(helpLine(verb));
        const verbLines = shown.stdout.split('\n').filter((line) => line.startsWith('  renubu '));
        expect(verbLines).toEqual([helpLine(verb)]);
        expect(shown.stdout).not.toMatch(/Renubu (is|was)|Stopped|PostgreSQL/);
      }
    });
  }

  it('renubu help <verb> shows the same, and refuses a command that does not exist', () => {
    expect(renubu('help', 'token').stdout).toBe(renubu('token', '--help').stdout);
    expect(renubu('help', 'org').stdout).toBe(renubu('org', '--help').stdout);
    expect(renubu('help').stdout).toBe(help);
    const refused = renubu('help', 'frobnicate');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^renubu: "frobnicate" is not a renubu command/);
  });
});

describe('a mistake in the arguments', () => {
  const mistakes: [string[], string[]][] = [
    [['token', '--email', 'sam.csm@acme.test', '--hours', '25'], ['--hours 25', 'from 1 to 24']],
    [['token', '--email', 'sam.csm@acme.test', '--hours', '2.5'], ['--hours 2.5', 'whole number']],
    [['token', '--email', 'sam.csm@acme.test', '--hours'], ['--hours needs a value']],
    [['token'], ['needs --email']],
    [['token', '--emial', 'sam.csm@acme.test'], ['--emial', '--email']],
    [['token', '--email', 'sam.csm@acme.test', 'extra'], ['"extra"']],
    [['seed', '--scale', 'abc'], ['--scale abc', '1 or more']],
    [['seed', '--scale', '0'], ['--scale 0', '1 or more']],
    [['seed', '--org', 'scale-co'], ['needs --scale']],
    [['status', '-o', 'json'], ['-o json', 'env']],
    [['status', '--bogus'], ['--bogus', '-o']],
    [['start', '--bogus'], ['--bogus', '-d']],
    [['stop', 'now'], ['"now"']],
    [['db'], ['needs a subcommand', 'reset']],
    [['db', 'resett'], ['"resett"', 'reset']],
    [['org'], ['needs a subcommand', 'create']],
    [['org', 'delete'], ['"delete"', 'create']],
    [['org', 'create', '--name', 'X'], ['needs --admin-email']],
    [['org', 'create', '--admin-email', 'a@b.test'], ['needs --name']],
    [['ingest'], ['needs the JSON-lines file']],
    [['ingest', 'samples/ingest-sample.jsonl'], ['needs --org']],
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--batch-size', '0'], ['--batch-size 0', 'from 1 to 1000']],
    [['ingest', 'samples/ingest-sample.jsonl', 'more.jsonl', '--org', 'acme-cloud'], ['"more.jsonl"', 'one file']],
    [['ingest', 'no-such-file.jsonl', '--org', 'acme-cloud', '--secret', WHOLE_SECRET], ['no-such-file.jsonl', 'no such file']],
    // A secret as Admin → Integrations lists it (its first characters), a typo, a key without
    // its prefix: each would be sent and come back 401 "bad_signature" from the server.
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', 'whsec_ZDK1os…'], ['--secret whsec_ZDK1os…', 'whsec_', 'Integrations']],
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', 'nothing'], ['--secret nothing', 'whsec_']],
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', 'whsec_'], ['--secret whsec_', 'whsec_']],
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', WHOLE_SECRET, '--url', 'foo'], ['--url foo', 'https://']],
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--url', 'ftp://example.test/ingest/acme-cloud'], ['--url ftp://example.test/ingest/acme-cloud', 'https://']],
    // An address that names no organisation would come back 404 unknown_receiver.
    [['ingest', 'samples/ingest-sample.jsonl', '--secret', WHOLE_SECRET, '--url', 'https://example.test/functions/v1/ingest'], ['--url https://example.test/functions/v1/ingest', 'ingest/<slug>']],
    // --org and --url naming two organisations: one of them would be ignored.
    [['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', WHOLE_SECRET, '--url', 'https://example.test/functions/v1/ingest/globex-analytics'],
      ['--org acme-cloud', 'globex-analytics', 'different organisations']],
  ];
  for (const [args, words] of mistakes) {
    it(`renubu ${args.join(' ')}: says what is wrong, then the usage, exit 2`, () => {
      const refused = renubu(...args);
      expect(refused.status, refused.stderr).toBe(2);
      const [sentence, ...usage] = refused.stderr.trim().split('\n');
      for (const word of words) expect(sentence).toContain(word);
      expect(sentence).toMatch(/^renubu: .+\.$/);
      expect(usage.join('\n')).toContain(helpLine(args[0] === 'org' ? 'org create' : args[0]!));
      expect(refused.stdout).toBe('');
    });
  }

  it('an unknown command is named, with the list of commands, exit 2', () => {
    const refused = renubu('frobnicate');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^renubu: "frobnicate" is not a renubu command/);
    expect(refused.stderr).toContain('start, stop, status, db, seed, org, token, ingest');
  });
});

describe('renubu ingest with $RENUBU_WEBHOOK_SECRET that is no webhook secret', () => {
  it('names the variable and the form a secret has, exit 2, sends nothing', () => {
    const refused = spawnSync(process.execPath, [cli, 'ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud'],
      { encoding: 'utf8', env: { ...nowhere, RENUBU_WEBHOOK_SECRET: 're_123' }, timeout: 30_000 });
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr.split('\n')[0]).toMatch(/^renubu: \$RENUBU_WEBHOOK_SECRET re_123 is not a webhook secret: .*whsec_.*\.$/);
    expect(refused.stdout).toBe('');
  });
});

describe('a verb that works in the stack, when the stack is not running', () => {
  const needsTheStack = [
    ['token', '--email', 'sam.csm@acme.test'],
    ['seed', '--scale', '5'],
    ['org', 'create', '--name', 'Example Co', '--admin-email', 'you@example.com'],
    ['ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud'],
  ];
  for (const args of needsTheStack) {
    it(`renubu ${args.join(' ')} says to start it, at once`, () => {
      const started = Date.now();
      const refused = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: nowhere, timeout: 15_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('renubu: Renubu is not running with data dir /dev/null/renubu-cli-help and database port 9');
      expect(refused.stderr).toContain('npx renubu start -d');
    });
  }
});

describe('renubu start with a data dir that cannot be made', () => {
  for (const args of [['start'], ['start', '-d']]) {
    it(`renubu ${args.join(' ')} says why and what to set, exit 1, before anything starts`, () => {
      const refused = renubu(...args);
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toBe('renubu: the data dir /dev/null/renubu-cli-help cannot be made (a part of its path is a file): '
        + 'set RENUBU_DATA_DIR to a folder you may write, such as /var/tmp/renubu-mine.\n');
      expect(refused.stdout).toBe('');
    });
  }
});

describe('a RENUBU_*_PORT that is no port', () => {
  for (const [name, value] of [['RENUBU_API_PORT', 'abc'], ['RENUBU_DB_PORT', '70000'], ['RENUBU_WEB_PORT', '3000x']] as const) {
    it(`${name}=${value} is named in one sentence, exit 1, before anything runs`, () => {
      const refused = spawnSync(process.execPath, [cli, 'status'], { encoding: 'utf8', env: { ...nowhere, [name]: value }, timeout: 30_000 });
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^renubu: ${name}=${value} is not a port: give a whole number from 1 to 65535, or leave it unset for \\d+\\.\\n$`));
      expect(refused.stdout).toBe('');
    });
  }
});

describe('renubu stop where nothing runs', () => {
  it('names the data dir it looked at, so a terminal without the variables a stack was started with is told', () => {
    const stopped = renubu('stop');
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe('Renubu was not running with data dir /dev/null/renubu-cli-help: nothing was stopped. '
      + 'A stack started with other RENUBU_* variables stops with them set.\n');
  });
});

describe('renubu db reset where there is nothing to reset', () => {
  it('says that the data dir holds no database and how to make one, rather than pg_ctl\'s words', () => {
    const refused = renubu('db', 'reset');
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toBe('renubu: There is no Renubu database in /dev/null/renubu-cli-help to reset: `npx renubu start -d` '
      + 'creates it with the demo data (or set the RENUBU_DATA_DIR it was started with).\n');
  });

  it('names the variable to change when its database port is taken', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-reset-taken-'));
    mkdirSync(path.join(dataDir, 'pgdata'));
    writeFileSync(path.join(dataDir, 'pgdata', 'PG_VERSION'), '15\n');
    const holder = net.createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as net.AddressInfo).port;
    try {
      // The port is held by this process's listening socket, which needs no event loop to refuse a second listener.
      const refused = spawnSync(process.execPath, [cli, 'db', 'reset'],
        { encoding: 'utf8', env: { ...nowhere, RENUBU_DATA_DIR: dataDir, RENUBU_DB_PORT: String(port) }, timeout: 30_000 });
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^renubu: port ${port} \\(RENUBU_DB_PORT, Postgres\\) is already in use\\. .*\\.\\n$`));
    } finally {
      holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('renubu ingest to an address that does not answer', () => {
  it('names the address and why, rather than "fetch failed"', async () => {
    const url = `http://127.0.0.1:${await freePort()}/functions/v1/ingest/acme-cloud`;
    const refused = renubu('ingest', 'samples/ingest-sample.jsonl', '--org', 'acme-cloud', '--secret', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA', '--url', url);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`renubu: could not reach ${url} (ECONNREFUSED): is the address right, and is Renubu running there?`);
  });

  it('takes the organisation from --url, so --org is not needed with it', async () => {
    const url = `http://127.0.0.1:${await freePort()}/functions/v1/ingest/example-co`;
    const tried = renubu('ingest', 'samples/ingest-sample.jsonl', '--secret', WHOLE_SECRET, '--url', url);
    expect(tried.status, tried.stderr).toBe(1);
    expect(tried.stdout).toContain(`to ${url} in batches`);
    expect(tried.stderr).toContain(`renubu: could not reach ${url} (ECONNREFUSED)`);
  });
});

describe('npm run reliability', () => {
  const reliability = (...args: string[]) => spawnSync(process.execPath, ['--experimental-websocket', path.resolve('local/reliability/run.mjs'), ...args],
    { encoding: 'utf8', env: nowhere, timeout: 30_000 });

  it('--help shows its usage and starts nothing', () => {
    const shown = reliability('--help');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/^Usage: npm run reliability \[-- --csms 50 .*--no-docs\]/s);
    expect(shown.stdout).not.toContain('Bringing up');
  });

  for (const [args, words] of [
    [['--csms', 'abc'], ['--csms abc is not allowed', 'whole number of simulated CSMs, 1 or more']],
    [['--seconds', '0'], ['--seconds 0', '1 or more']],
    [['--seed', '-3'], ['--seed -3', 'whole number, 0 or more']],
    [['--cmss', '5'], ['does not take --cmss', '--csms']],
  ] as const) {
    it(`${args.join(' ')} is said before any stack starts, exit 2`, () => {
      const refused = reliability(...args);
      expect(refused.status, refused.stderr + refused.stdout).toBe(2);
      for (const word of words) expect(refused.stderr).toContain(word);
      expect(refused.stderr).toContain('Usage: npm run reliability');
      expect(refused.stdout).toBe('');
    });
  }
});

describe('node local/gen-types.mjs', () => {
  const genTypes = (...args: string[]) => spawnSync(process.execPath, [path.resolve('local/gen-types.mjs'), ...args],
    { encoding: 'utf8', env: nowhere, timeout: 30_000 });

  it('says that no database answers, at which address, and how to start one; writes nothing', async () => {
    const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
    const out = path.join(os.tmpdir(), `gen-types-${process.pid}.ts`);
    const refused = genTypes('--db-url', dbUrl, '--out', out);
    expect(refused.status).toBe(1);
    const shownUrl = dbUrl.replace(':postgres@', ':***@'); // the password is not repeated
    expect(refused.stderr).toMatch(new RegExp(`^gen-types: no database answers at ${shownUrl.replace(/[.?*]/g, '\\$&')} \\(connect ECONNREFUSED`));
    expect(refused.stderr).toContain('npx renubu start -d');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a flag it does not take, exit 2, and --help shows the usage', () => {
    const refused = genTypes('--ouy', 'x.ts');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('gen-types does not take --ouy; it takes --db-url and --out.');
    expect(genTypes('--help').stdout).toMatch(/^Usage: node local\/gen-types.mjs \[--db-url/);
  });
});

describe("README's table of renubu commands", () => {
  it('names every flag each verb takes, as its help line does', () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8').split('\n');
    for (const verb of ['start', 'stop', 'status', 'db', 'seed', 'org create', 'token', 'ingest']) {
      const row = readme.find((line) => line.startsWith(`| \`renubu ${verb}`)) ?? '';
      expect(row, verb).not.toBe('');
      const usage = row.split('|')[1] ?? '';
      for (const flag of helpLine(verb).match(/(?<!\w)--?[a-z][a-z-]*/g) ?? []) expect(usage, `${verb} ${flag}`).toContain(flag);
    }
  });
});
