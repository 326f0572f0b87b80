// @ts-check
// The "schema cache" for RPC: which functions exist and which one a call means. As PostgREST
// does, the routines are cached and the cache is dropped on `NOTIFY pgrst` (sent by the
// bootstrap's DDL event triggers, as Supabase's `pgrst_ddl_watch` does), so a migration or a
// `renubu db reset` under a running gateway is seen at once. Overload resolution follows
// PostgREST's `findProc` [PGRST Plan.hs].
import pg from 'pg';

/**
 * @typedef {{ name: string, type: string, variadic: boolean }} Param
 * @typedef {{
 *   schema: string, name: string,
 *   params: Param[],          // IN / INOUT / VARIADIC parameters, in order
 *   required: string[], optional: string[],
 *   volatility: 'i' | 's' | 'v',
 *   returnsSet: boolean,
 *   returns: 'void' | 'scalar' | 'composite',
 *   returnsJson: boolean,     // json or jsonb: its text is already the answer's JSON
 * }} Routine
 */

const ROUTINES_SQL = `
  select p.proname as name,
         p.provolatile as volatility,
         p.proretset as returns_set,
         p.pronargdefaults as n_defaults,
         coalesce(p.proargnames, '{}') as arg_names,
         coalesce(p.proargmodes::text[], '{}') as arg_modes,
         array(select format_type(t.oid, null)
                 from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as t(oid, i)
                order by t.i) as arg_types,
         rt.typname as ret_name,
         p.prorettype in ('pg_catalog.json'::pg_catalog.regtype, 'pg_catalog.jsonb'::pg_catalog.regtype) as returns_json,
         rt.typtype as ret_typtype
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    join pg_catalog.pg_type rt on rt.oid = p.prorettype
   where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

/**
 * A row of ROUTINES_SQL.
 * @typedef {{ name: string, volatility: 'i' | 's' | 'v', returns_set: boolean, n_defaults: number,
 *   arg_names: string[], arg_modes: string[], arg_types: string[], ret_name: string, returns_json: boolean, ret_typtype: string }} RoutineRow
 */

/** @param {RoutineRow} row @param {string} schema @returns {Routine} */
function toRoutine(row, schema) {
  const names = row.arg_names;
  const modes = row.arg_modes;
  const types = row.arg_types;
  /** @type {Param[]} */
  const params = [];
  types.forEach((type, i) => {
    const mode = modes[i] ?? 'i';
    if (mode === 'o' || mode === 't') return;
    params.push({ name: names[i] ?? '', type, variadic: mode === 'v' });
  });
  const nRequired = params.length - row.n_defaults;
  const returns =
    row.ret_name === 'void' ? 'void' : row.ret_typtype === 'c' || row.ret_name === 'record' ? 'composite' : 'scalar';
  return {
    schema,
    name: row.name,
    params,
    required: params.slice(0, nRequired).map((p) => p.name),
    optional: params.slice(nRequired).map((p) => p.name),
    volatility: row.volatility,
    returnsSet: row.returns_set,
    returns,
    returnsJson: row.returns_json,
  };
}

/**
 * @param {import('pg').Pool | import('pg').PoolClient} db
 * @param {string} schema
 * @param {string} name
 * @returns {Promise<Routine[]>}
 */
export async function loadRoutines(db, schema, name) {
  const { rows } = await db.query(ROUTINES_SQL, [schema, name]);
  return rows.map((row) => toRoutine(row, schema));
}

/**
 * Routines by schema and name, cached until the database announces a schema change.
 * When the listening connection is lost the cache stops caching (every call reads the
 * catalog) rather than risk serving a stale signature.
 * @param {import('pg').Pool} pool
 * @param {string} dbUrl
 */
export function createRoutineCache(pool, dbUrl) {
  /** @type {Map<string, Routine[]>} */
  const cache = new Map();
  let listening = false;
  const listener = new pg.Client({ connectionString: dbUrl });
  listener.on('notification', () => cache.clear());
  listener.on('error', () => {
    listening = false;
    cache.clear();
  });
  const ready = listener
    .connect()
    .then(() => listener.query('listen pgrst'))
    .then(() => { listening = true; })
    .catch(() => { listening = false; });

  return {
    /** The cached routines, without waiting, or undefined. @param {string} schema @param {string} name */
    peek(schema, name) {
      return cache.get(`${schema}.${name}`);
    },
    /** @param {string} schema @param {string} name @returns {Promise<Routine[]>} */
    async get(schema, name) {
      await ready;
      const key = `${schema}.${name}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const routines = await loadRoutines(pool, schema, name);
      // Unknown names are not remembered: a function created a moment later must be found.
      if (listening && routines.length > 0) cache.set(key, routines);
      return routines;
    },
    async close() {
      listening = false;
      await listener.end().catch(() => {});
    },
  };
}

/**
 * Picks the overload a set of argument keys means [PGRST Plan.hs `findProc`]: the keys minus
 * the optional names must equal the required names (so an unknown key never matches).
 * Falls back to a function whose single parameter is unnamed json/jsonb, for a JSON POST.
 * @param {Routine[]} routines
 * @param {string[]} keys
 * @param {boolean} jsonPost
 * @returns {{ routine: Routine, wholeBody: boolean }[]}
 */
export function findRoutine(routines, keys, jsonPost) {
  const matches = routines.filter((r) => {
    if (r.params.some((p) => p.name === '')) return false;
    const optional = new Set(r.optional);
    const rest = keys.filter((k) => !optional.has(k));
    return rest.length === r.required.length && r.required.every((k) => rest.includes(k));
  });
  if (matches.length > 0) return matches.map((routine) => ({ routine, wholeBody: false }));
  if (!jsonPost) return [];
  return routines
    .filter((r) => r.params.length === 1 && r.params[0]?.name === '' && /^jsonb?$/.test(r.params[0].type))
    .map((routine) => ({ routine, wholeBody: true }));
}

/** @param {Param[]} params */
const paramList = (params) => params.map((p) => p.name).sort().join(', ');

/**
 * The PGRST202 "did you mean" hint [PGRST Error.hs `noRpcHint`]: with overloads of that name,
 * the closest parameter list; otherwise the closest function name in the schema.
 * PostgREST uses a fuzzy set (n-grams, then Levenshtein); a Levenshtein ratio ≥ 1/3 is
 * close enough for a hint.
 * @param {import('pg').Pool | import('pg').PoolClient} db
 * @param {string} schema
 * @param {string} name
 * @param {Routine[]} overloads
 * @param {string[]} keys
 * @returns {Promise<string | null>}
 */
export async function noRpcHint(db, schema, name, overloads, keys) {
  const prefix = `Perhaps you meant to call the function ${schema}.`;
  if (overloads.length > 0) {
    const wanted = `(${[...keys].sort().join(', ')})`;
    const best = closest(wanted, overloads.map((r) => `(${paramList(r.params)})`));
    return best === null ? null : `${prefix}${name}${best}`;
  }
  const { rows } = await db.query(
    `select distinct p.proname as name from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname = $1 and p.prokind = 'f'`,
    [schema],
  );
  const best = closest(name, rows.map((r) => r.name));
  return best === null ? null : `${prefix}${best}`;
}

/** @param {string} wanted @param {string[]} candidates */
function closest(wanted, candidates) {
  let best = null;
  let bestScore = 1 / 3;
  for (const candidate of candidates) {
    const score = 1 - levenshtein(wanted.toLowerCase(), candidate.toLowerCase()) / Math.max(wanted.length, candidate.length, 1);
    if (score >= bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** @param {string} a @param {string} b */
function levenshtein(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      // Every cell read here was written one step earlier (row[0] = i, prev[0..] = 0..).
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
