// The operator console: every action is one admin API call with the token typed in at log-in, held in
// sessionStorage (gone with the tab). Text from the API is only ever set as textContent, never as HTML.
'use strict';

const TOKEN_KEY = 'adminToken';
const $ = (id) => document.getElementById(id);
let currentAccount;

function say(text) {
  $('message').textContent = text || '';
}

/** One admin call; a non-2xx answer shows its error message and rejects. */
async function api(method, path, body) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (data && data.error && data.error.message) || `${response.status} ${response.statusText}`;
    say(message);
    if (response.status === 401) showLogin();
    throw new Error(message);
  }
  return data;
}

/** A table row of text cells, then a cell with the given buttons. */
function row(cells, buttons = []) {
  const tr = document.createElement('tr');
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '—' : String(value);
    tr.append(td);
  }
  if (buttons.length > 0) {
    const td = document.createElement('td');
    for (const [label, action] of buttons) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.addEventListener('click', () => action().catch(() => undefined));
      td.append(button, ' ');
    }
    tr.append(td);
  }
  return tr;
}

function fill(tbodyId, rows) {
  $(tbodyId).replaceChildren(...rows);
}

async function loadOverview() {
  const o = await api('GET', '/admin/overview');
  const items = [
    ['Accounts', o.accounts], ['Users', o.users], ['Cases', o.cases], ['Groups', o.groups],
    ['Queue depth', o.queueDepth], ['Failed deliveries', o.failedDeliveries], ['Open streams', o.openStreams],
    ['Sent in the last hour', o.sentLastHour.reduce((a, b) => a + b, 0)],
  ];
  $('overview').replaceChildren(...items.flatMap(([label, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    return [dt, dd];
  }));
  drawChart(o.sentLastHour);
}

/** Bars scaled to the busiest slice; the caption and a title per bar carry the numbers for screen readers. */
function drawChart(values) {
  const svg = $('chart');
  const max = Math.max(1, ...values);
  const width = 360 / values.length;
  svg.replaceChildren(...values.map((value, i) => {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    const height = Math.round((value / max) * 96);
    rect.setAttribute('x', String(i * width + 2));
    rect.setAttribute('y', String(100 - height));
    rect.setAttribute('width', String(width - 4));
    rect.setAttribute('height', String(height));
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = `${value} sent, ${(values.length - i) * 5} to ${(values.length - i - 1) * 5} minutes ago`;
    rect.append(title);
    return rect;
  }));
  $('chart-caption').textContent = `Deliveries sent per 5 minutes over the last hour (${values.join(', ')}, oldest first)`;
}

async function findAccounts(event) {
  event?.preventDefault();
  const q = $('account-q').value.trim();
  const accounts = await api('GET', `/admin/accounts?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  fill('accounts', accounts.map((a) => row([a.id, a.name, a.type, a.status], [
    ['Tokens', () => showTokens(a)],
    a.status === 'active' ? ['Deactivate', () => setActive(a, false)] : ['Reactivate', () => setActive(a, true)],
  ])));
  say(accounts.length === 0 ? 'No account found' : '');
}

async function setActive(account, active) {
  await api('POST', `/admin/accounts/${account.id}/${active ? 'reactivate' : 'deactivate'}`);
  say(`Account ${account.id} ${active ? 'reactivated' : 'deactivated'}`);
  await Promise.all([findAccounts(), loadAudit()]);
}

async function showTokens(account) {
  currentAccount = account;
  $('tokens-panel').hidden = false;
  $('tokens-title').textContent = `Tokens of ${account.name}`;
  $('issued-token').textContent = '';
  const tokens = await api('GET', `/admin/accounts/${account.id}/tokens?limit=100`);
  fill('tokens', tokens.map((t) => row([t.id, t.label, t.createdAt, t.lastUsedAt, t.revokedAt], t.revokedAt ? [] : [['Revoke', () => revoke(t)]])));
}

async function issueToken() {
  const issued = await api('POST', `/admin/accounts/${currentAccount.id}/tokens`, {});
  await showTokens(currentAccount);
  $('issued-token').textContent = `New token (shown once): ${issued.token}`;
  await loadAudit();
}

async function revoke(token) {
  await api('DELETE', `/admin/tokens/${token.id}`);
  say(`Token ${token.id} revoked`);
  await Promise.all([showTokens(currentAccount), loadAudit()]);
}

async function loadDeliveries() {
  const deliveries = await api('GET', '/admin/deliveries?status=failed&limit=50');
  fill('deliveries', deliveries.map((d) => row([d.id, d.kind, d.attempts, d.lastError], [['Retry', () => retry(d.id)]])));
}

async function retry(id) {
  await api('POST', `/admin/deliveries/${id}/retry`);
  say(`Delivery ${id} queued again`);
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit()]);
}

async function retryAll() {
  const { retried } = await api('POST', '/admin/deliveries/retry-failed');
  say(`${retried} deliveries queued again`);
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit()]);
}

async function loadAudit(event) {
  event?.preventDefault();
  const target = $('audit-target').value.trim();
  const entries = await api('GET', `/admin/audit?limit=50${target ? `&target=${encodeURIComponent(target)}` : ''}`);
  fill('audit', entries.map((e) => row([e.at, e.actor, e.action, e.target])));
}

function showLogin() {
  sessionStorage.removeItem(TOKEN_KEY);
  $('main').hidden = true;
  $('login').hidden = false;
  $('admin-token').focus();
}

async function start() {
  $('login').hidden = true;
  $('main').hidden = false;
  await Promise.all([loadOverview(), findAccounts(), loadDeliveries(), loadAudit()]);
  $('account-q').focus();
}

document.addEventListener('DOMContentLoaded', () => {
  const swallow = (work) => (event) => work(event).catch(() => undefined);
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('admin-token').value.trim());
    $('admin-token').value = '';
    say('');
    start().catch(() => undefined);
  });
  $('logout').addEventListener('click', showLogin);
  $('account-search').addEventListener('submit', swallow(findAccounts));
  $('audit-filter').addEventListener('submit', swallow(loadAudit));
  $('issue-token').addEventListener('click', swallow(issueToken));
  $('retry-all').addEventListener('click', swallow(retryAll));
  $('reload-deliveries').addEventListener('click', swallow(loadDeliveries));
  if (sessionStorage.getItem(TOKEN_KEY)) start().catch(() => undefined);
  else $('admin-token').focus();
});
