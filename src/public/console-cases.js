// Cases: find them (all, or one account's as partner or provider), open one, forward it to another
// provider account. The API refuses a partner account or the case's own provider with a 400, shown as is.
import { $, api, details, onSubmit, pagedTable, query, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';

let show;
let current;

async function findCases() {
  const count = await show(`/admin/cases${query({ limit: 50, accountId: $('case-account').value.trim() })}`);
  say(count === 0 ? 'No case found' : '');
}

async function openCase(guid) {
  current = await api('GET', `/admin/cases/${encodeURIComponent(guid)}`);
  $('case-panel').hidden = false;
  $('case-title').textContent = `Case ${current.guid}`;
  details('case-details', [
    ['Id', current.id], ['Guid', current.guid], ['Partner account', current.partnerAccountId],
    ['Provider account', current.providerAccountId], ['Created', current.createdAt],
  ]);
}

async function forwardCase() {
  const providerAccountId = Number($('case-provider').value);
  const forwarded = await api('PATCH', `/admin/cases/${current.guid}`, { providerAccountId });
  $('case-provider').value = '';
  await Promise.all([openCase(forwarded.guid), findCases(), loadAudit()]);
  say(`Case ${forwarded.guid} forwarded to account ${forwarded.providerAccountId}`);
}

export function initCases() {
  show = pagedTable('cases', 'more-cases', (c) => row([c.id, c.guid, c.partnerAccountId, c.providerAccountId, c.createdAt], [['Open', () => openCase(c.guid)]]));
  onSubmit('case-search', findCases);
  onSubmit('case-open', () => openCase($('case-guid').value.trim()));
  onSubmit('case-forward', forwardCase);
}
