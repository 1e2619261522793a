// An account's webhook subscriptions: the list, the default webhook (PUT …/webhook), another
// subscription over HTTP or AMQP (POST …/webhooks), and deleting one.
import { $, api, fill, onSubmit, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';

let account;

export async function showWebhooks(next) {
  account = next;
  $('webhooks-panel').hidden = false;
  $('webhooks-title').textContent = `Webhooks of ${account.name}`;
  await listWebhooks();
}

async function listWebhooks() {
  const webhooks = await api('GET', `/admin/accounts/${account.id}/webhooks`);
  fill('webhooks', webhooks.map((w) => row([w.id, w.events.join(', '), w.transport, w.url, w.isDefault, w.updatedAt], [['Delete', () => deleteWebhook(w)]])));
}

async function setDefault() {
  const url = $('default-webhook-url').value.trim();
  const saved = await api('PUT', `/admin/accounts/${account.id}/webhook`, { url, secret: $('default-webhook-secret').value });
  $('default-webhook-secret').value = '';
  await Promise.all([listWebhooks(), loadAudit()]);
  say(`Default webhook of account ${account.id} set to ${saved.webhookUrl}`);
}

async function addSubscription() {
  const created = await api('POST', `/admin/accounts/${account.id}/webhooks`, subscriptionBody());
  $('webhook-secret').value = '';
  await Promise.all([listWebhooks(), loadAudit()]);
  say(`Webhook ${created.id} added`);
}

/** The form as a CreateWebhookDto: transport-specific fields only when the transport takes them. */
function subscriptionBody() {
  const events = [...document.querySelectorAll('#webhook-events input:checked')].map((input) => input.value);
  const body = { events, transport: $('webhook-transport').value, url: $('webhook-url').value.trim(), secret: $('webhook-secret').value, payloadVersion: $('webhook-payload').value };
  if (body.transport === 'http') {
    body.method = $('webhook-method').value;
    body.headers = parseHeaders($('webhook-headers').value);
  } else {
    body.exchange = $('webhook-exchange').value.trim();
    body.routingKey = $('webhook-routing-key').value.trim() || null;
  }
  return body;
}

/** One "Name: value" per line, as HTTP writes headers; the API checks the names and values. */
function parseHeaders(text) {
  const headers = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    headers[colon < 0 ? line : line.slice(0, colon).trim()] = colon < 0 ? '' : line.slice(colon + 1).trim();
  }
  return headers;
}

async function deleteWebhook(webhook) {
  await api('DELETE', `/admin/webhooks/${webhook.id}`);
  await Promise.all([listWebhooks(), loadAudit()]);
  say(`Webhook ${webhook.id} deleted`);
}

/** Shows the fields of the chosen transport only. */
function showTransportFields() {
  const http = $('webhook-transport').value === 'http';
  $('webhook-http-fields').hidden = !http;
  $('webhook-amqp-fields').hidden = http;
}

export function initWebhooks() {
  onSubmit('default-webhook', setDefault);
  onSubmit('add-webhook', addSubscription);
  $('webhook-transport').addEventListener('change', showTransportFields);
  showTransportFields();
}
