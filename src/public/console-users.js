// Users: find by address or name, role and status; their tokens; switch off and on; erase (GDPR) behind a
// confirmation, with the API's report of what went.
import { $, api, confirmStep, details, onSubmit, pagedTable, query, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';
import { tokensPanel } from './console-tokens.js';

let show;
let tokens;
let erasure;

async function findUsers() {
  const params = { limit: 50, q: $('user-q').value.trim(), role: $('user-role').value, status: $('user-status').value };
  const count = await show(`/admin/users${query(params)}`);
  say(count === 0 ? 'No user found' : '');
}

function userRow(u) {
  return row([u.id, u.email, u.name, u.role, u.status], [
    ['Tokens', () => tokens.show({ path: `/admin/users/${u.id}`, title: u.email })],
    u.status === 'active' ? ['Deactivate', () => setActive(u, false)] : ['Reactivate', () => setActive(u, true)],
    ['Erase', async () => askErasure(u)],
  ]);
}

async function setActive(user, active) {
  await api('POST', `/admin/users/${user.id}/${active ? 'reactivate' : 'deactivate'}`);
  await Promise.all([findUsers(), loadAudit()]);
  say(`User ${user.id} ${active ? 'reactivated' : 'deactivated'}`);
}

function askErasure(user) {
  $('erasure-panel').hidden = true;
  const prompt = `Erasing ${user.email} removes the person's tokens, memberships, inbox and e-mails and every stored copy of the id and address. It cannot be undone.`;
  erasure.ask(prompt, `Confirm erasure of ${user.id}`, () => erase(user));
}

async function erase(user) {
  const report = await api('DELETE', `/admin/users/${user.id}?erase=true`);
  tokens.hide();
  $('erasure-panel').hidden = false;
  $('erasure-title').textContent = `Erasure report for ${user.id}`;
  details('erasure-report', [
    ['Erased', report.erased], ['Tokens', report.tokens], ['Group memberships', report.groupMemberships], ['Inbox rows', report.recipientRows],
    ['E-mail deliveries', report.deliveries], ['Stream events', report.streamEvents], ['Sent messages scrubbed', report.sentMessagesScrubbed],
    ['Received messages scrubbed', report.receivedMessagesScrubbed], ['Case messages scrubbed', report.caseMessagesScrubbed],
    ['Idempotency keys', report.idempotencyKeys], ['Audit entries scrubbed', report.auditEntriesScrubbed],
  ]);
  await Promise.all([findUsers(), loadAudit()]);
  say(`User ${user.id} erased`);
  $('erasure-title').focus();
}

export function initUsers() {
  show = pagedTable('users', 'more-users', userRow);
  tokens = tokensPanel('user');
  erasure = confirmStep('erase-confirm');
  onSubmit('user-search', findUsers);
}
