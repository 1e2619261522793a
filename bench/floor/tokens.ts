import { createHash } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Pool } from 'pg';

export interface FloorAccount {
  kind: 'account';
  accountId: number;
  accountType: 'partner' | 'provider';
}

export interface FloorUser {
  kind: 'user';
  userId: string;
  email: string;
  role: 'user' | 'service';
}

export type FloorPrincipal = FloorAccount | FloorUser;
export type TokenMap = Map<string, FloorPrincipal>;

/** Every live token, keyed like the app's cache (base64 sha256 of the raw token). */
export async function loadTokens(pool: Pool): Promise<TokenMap> {
  const { rows } = await pool.query(`
    SELECT encode(t.token_hash, 'base64') AS key, t.account_id, a.type AS account_type, t.user_id, u.email, u.role
      FROM api_tokens t LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN users u ON u.id = t.user_id
     WHERE t.revoked_at IS NULL`);
  const tokens: TokenMap = new Map();
  for (const row of rows) {
    tokens.set(
      row.key,
      row.account_id !== null
        ? { kind: 'account', accountId: row.account_id, accountType: row.account_type }
        : { kind: 'user', userId: row.user_id, email: row.email, role: row.role },
    );
  }
  return tokens;
}

function lookup(tokens: TokenMap, raw: string | undefined): FloorPrincipal | undefined {
  return raw ? tokens.get(createHash('sha256').update(raw, 'utf8').digest('base64')) : undefined;
}

/** v3: accessToken query parameter or Bearer header. */
export function accountOf(tokens: TokenMap, request: FastifyRequest, reply: FastifyReply): FloorAccount | undefined {
  const query = request.query as Record<string, string | undefined>;
  const header = request.headers.authorization;
  const raw = query.accessToken ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
  const principal = lookup(tokens, raw);
  if (principal?.kind === 'account') return principal;
  void reply.code(401).send({ error: { message: 'Unauthorized' } });
  return undefined;
}

/** v2: `Authorization: BimPlus <token>`. */
export function userOf(tokens: TokenMap, request: FastifyRequest, reply: FastifyReply): FloorUser | undefined {
  const header = request.headers.authorization;
  const principal = lookup(tokens, header?.toLowerCase().startsWith('bimplus ') ? header.slice(8) : undefined);
  if (principal?.kind === 'user') return principal;
  void reply.code(401).send({ error: { message: 'Unauthorized' } });
  return undefined;
}
