// Accounts: find by name, their tokens and webhooks, switch off and on.
import { $, api, onSubmit, pagedTable, query, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';
import { tokensPanel } from './console-tokens.js';
import { showWebhooks } from './console-webhooks.js';

let show;
let tokens;

export async function findAccounts() {
  const q = $('account-q').value.trim();
  const count = await show(`/admin/accounts${query({ limit: 50, q })}`);
  say(count === 0 ? 'No account found' : '');
}

function accountRow(a) {
  return row([a.id, a.name, a.type, a.status], [
    ['Tokens', () => tokens.show({ path: `/admin/accounts/${a.id}`, title: a.name })],
    ['Webhooks', () => showWebhooks(a)],
    a.status === 'active' ? ['Deactivate', () => setActive(a, false)] : ['Reactivate', () => setActive(a, true)],
  ]);
}

async function setActive(account, active) {
  await api('POST', `/admin/accounts/${account.id}/${active ? 'reactivate' : 'deactivate'}`);
  await Promise.all([findAccounts(), loadAudit()]);
  say(`Account ${account.id} ${active ? 'reactivated' : 'deactivated'}`);
}

export function initAccounts() {
  show = pagedTable('accounts', 'more-accounts', accountRow);
  tokens = tokensPanel('account');
  onSubmit('account-search', findAccounts);
}
