/** The largest PostgreSQL `int4` (serial ids, account ids). */
export const MAX_INT4 = 2_147_483_647;

/** A positive 32-bit integer written in decimal digits, or undefined (shared by the pipes and the CLI). */
export function parseIntId(value: string | undefined): number | undefined {
  const id = value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(id) && id >= 1 && id <= MAX_INT4 ? id : undefined;
}
