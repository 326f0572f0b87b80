// pg's internal helper the gateway's pipeline uses to encode a bound value exactly as
// pg's own prepared statements do (pg/lib/utils.js ships without types).
declare module 'pg/lib/utils.js' {
  /** A JavaScript value as the text Postgres is sent for it (null stays null). */
  export function prepareValue(value: unknown): string | Buffer | null;
  const utils: { prepareValue: typeof prepareValue };
  export default utils;
}
