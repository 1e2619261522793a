// Deliveries: the list by status and kind (failed ones first), one delivery with its attempt log, and
// retrying (anything not being sent right now: a failed one, or a sent webhook again).
import { $, api, details, fill, onSubmit, query, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';
import { loadOverview } from './console-overview.js';

const PAGE = 50;
let current;

/** The list is keyset-paged on the id, newest first: the next page is `beforeId` = the last id shown. */
export async function loadDeliveries(beforeId) {
  const params = { limit: PAGE, status: $('delivery-status').value, kind: $('delivery-kind').value, beforeId };
  const deliveries = await api('GET', `/admin/deliveries${query(params)}`);
  const rows = deliveries.map((d) => row([d.id, d.kind, d.status, d.attempts, d.lastError], [['Attempts', () => openDelivery(d.id)], ...(d.status === 'sending' ? [] : [['Retry', () => retry(d.id)]])]));
  if (beforeId) $('deliveries').append(...rows);
  else fill('deliveries', rows);
  $('more-deliveries').hidden = deliveries.length < PAGE;
  $('more-deliveries').dataset.beforeId = deliveries.length > 0 ? deliveries[deliveries.length - 1].id : '';
}

async function openDelivery(id) {
  current = await api('GET', `/admin/deliveries/${id}`);
  $('delivery-panel').hidden = false;
  $('delivery-title').textContent = `Delivery ${current.id}`;
  details('delivery-details', [
    ['Kind', current.kind], ['Status', current.status], ['Event', current.event], ['Message', current.messageId],
    ['Recipient', current.address || current.userId || (current.accountId && `account ${current.accountId}`)], ['Webhook', current.webhookId],
    ['Attempts', current.attempts], ['Next attempt', current.nextAttemptAt], ['Sent', current.sentAt], ['Last error', current.lastError],
  ]);
  fill('attempts', current.attemptLog.map((a) => row([a.attempt, a.ok, a.statusCode, a.latencyMs, a.error, a.attemptedAt])));
  $('attempts-empty').hidden = current.attemptLog.length > 0;
  $('retry-delivery').hidden = current.status === 'sending';
}

async function retry(id) {
  await api('POST', `/admin/deliveries/${id}/retry`);
  const reopen = current && current.id === id && !$('delivery-panel').hidden;
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit(), reopen ? openDelivery(id) : undefined]);
  say(`Delivery ${id} queued again`);
}

async function retryAll() {
  const { retried } = await api('POST', '/admin/deliveries/retry-failed');
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit()]);
  say(`${retried} deliveries queued again`);
}

export function initDeliveries() {
  const swallow = (work) => () => work().catch(() => undefined);
  onSubmit('delivery-filter', () => loadDeliveries());
  $('more-deliveries').addEventListener('click', swallow(() => loadDeliveries($('more-deliveries').dataset.beforeId)));
  $('retry-all').addEventListener('click', swallow(retryAll));
  $('retry-delivery').addEventListener('click', swallow(() => retry(current.id)));
}
