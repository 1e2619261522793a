// Failed deliveries: retrying one, or all of them.
import { $, api, fill, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';
import { loadOverview } from './console-overview.js';

export async function loadDeliveries() {
  const deliveries = await api('GET', '/admin/deliveries?status=failed&limit=50');
  fill('deliveries', deliveries.map((d) => row([d.id, d.kind, d.attempts, d.lastError], [['Retry', () => retry(d.id)]])));
}

async function retry(id) {
  await api('POST', `/admin/deliveries/${id}/retry`);
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit()]);
  say(`Delivery ${id} queued again`);
}

async function retryAll() {
  const { retried } = await api('POST', '/admin/deliveries/retry-failed');
  await Promise.all([loadDeliveries(), loadOverview(), loadAudit()]);
  say(`${retried} deliveries queued again`);
}

export function initDeliveries() {
  const swallow = (work) => () => work().catch(() => undefined);
  $('reload-deliveries').addEventListener('click', swallow(loadDeliveries));
  $('retry-all').addEventListener('click', swallow(retryAll));
}
