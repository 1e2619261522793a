// The overview: counts, queue depth, open streams, and the last hour's deliveries as a bar chart.
import { $, api, details } from './console-core.js';

export async function loadOverview() {
  const o = await api('GET', '/admin/overview');
  details('overview', [
    ['Accounts', o.accounts], ['Users', o.users], ['Cases', o.cases], ['Groups', o.groups],
    ['Queue depth', o.queueDepth], ['Failed deliveries', o.failedDeliveries], ['Open streams', o.openStreams],
    ['Sent in the last hour', o.sentLastHour.reduce((a, b) => a + b, 0)],
  ]);
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
