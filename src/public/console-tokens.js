// A tokens panel for one owner (an account or a user): list, issue (the secret shown once), revoke.
import { $, api, fill, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';

/**
 * Binds the panel whose elements are `<prefix>-tokens-panel`, `-tokens-title`, `-issue-token`,
 * `-issued-token` and `-tokens`; `show({ path, title })` opens it for an owner (`/admin/accounts/12`).
 */
export function tokensPanel(prefix) {
  let owner;
  const el = (name) => $(`${prefix}-${name}`);

  async function show(next) {
    owner = next;
    el('tokens-panel').hidden = false;
    el('tokens-title').textContent = `Tokens of ${owner.title}`;
    el('issued-token').textContent = '';
    const tokens = await api('GET', `${owner.path}/tokens?limit=100`);
    fill(`${prefix}-tokens`, tokens.map((t) => row([t.id, t.label, t.createdAt, t.lastUsedAt, t.revokedAt], t.revokedAt ? [] : [['Revoke', () => revoke(t)]])));
  }

  async function issue() {
    const issued = await api('POST', `${owner.path}/tokens`, {});
    await show(owner);
    el('issued-token').textContent = `New token (shown once): ${issued.token}`;
    await loadAudit();
  }

  async function revoke(token) {
    await api('DELETE', `/admin/tokens/${token.id}`);
    say(`Token ${token.id} revoked`);
    await Promise.all([show(owner), loadAudit()]);
  }

  el('issue-token').addEventListener('click', () => issue().catch(() => undefined));
  return { show, hide: () => (el('tokens-panel').hidden = true) };
}
