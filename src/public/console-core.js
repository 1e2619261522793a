// What every screen of the console shares: the admin call, the alert region, and small builders of rows,
// detail lists and paged tables. Text from the API is only ever set as textContent, never as HTML.

export const TOKEN_KEY = 'adminToken';
export const $ = (id) => document.getElementById(id);

/** Called when the API answers 401: console.js shows the log-in form again. */
let onUnauthorized = () => undefined;
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/** Puts text in the page's role="alert" region (empty clears it). */
export function say(text) {
  $('message').textContent = text || '';
}

async function send(method, path, body) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (data && data.error && data.error.message) || `${response.status} ${response.statusText}`;
    say(message);
    if (response.status === 401) onUnauthorized();
    throw new Error(message);
  }
  return { data, response };
}

/** One admin call; a non-2xx answer shows the API's error message and rejects. */
export async function api(method, path, body) {
  return (await send(method, path, body)).data;
}

/** One page of an admin list and the path of the next (from `Link: <…>; rel="next"`), if any. */
export async function apiPage(path) {
  const { data, response } = await send('GET', path);
  const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') || '');
  return { items: data, next: link ? link[1] : undefined };
}

/** A query string of the non-empty values, e.g. `?limit=50&q=acme`. */
export function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== undefined && value !== '');
  return pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}

/** A button whose action's failure is already shown by api(), so it is not thrown again. */
export function button(label, action) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', () => action().catch(() => undefined));
  return element;
}

/** A table row of text cells, then a cell with the given [label, action] buttons. */
export function row(cells, buttons = []) {
  const tr = document.createElement('tr');
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = text(value);
    tr.append(td);
  }
  if (buttons.length > 0) {
    const td = document.createElement('td');
    for (const [label, action] of buttons) td.append(button(label, action), ' ');
    tr.append(td);
  }
  return tr;
}

function text(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function fill(tbodyId, rows) {
  $(tbodyId).replaceChildren(...rows);
}

/** Fills a <dl> with [label, value] pairs. */
export function details(dlId, pairs) {
  $(dlId).replaceChildren(...pairs.flatMap(([label, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = text(value);
    return [dt, dd];
  }));
}

/**
 * A cursor-paged table: `load(path)` shows the first page, the "more" button appends the next one and is
 * hidden when the API announces none. Returns how many rows the first page had.
 */
export function pagedTable(tbodyId, moreId, toRow) {
  let next;
  const show = async (path, append) => {
    const page = await apiPage(path);
    const rows = page.items.map(toRow);
    if (append) $(tbodyId).append(...rows);
    else fill(tbodyId, rows);
    next = page.next;
    $(moreId).hidden = next === undefined;
    return page.items.length;
  };
  $(moreId).addEventListener('click', () => show(next, true).catch(() => undefined));
  return (path) => show(path, false);
}

/**
 * A destructive action behind a second button: `ask(prompt, label, action)` shows the prompt, a button
 * "label" (focused) and Cancel in the container; only that second button acts.
 */
export function confirmStep(containerId) {
  const container = $(containerId);
  const close = () => {
    container.replaceChildren();
    container.hidden = true;
  };
  const ask = (prompt, label, action) => {
    const question = document.createElement('p');
    question.textContent = prompt;
    const confirm = button(label, async () => {
      close();
      await action();
    });
    container.replaceChildren(question, confirm, ' ', button('Cancel', async () => close()));
    container.hidden = false;
    confirm.focus();
  };
  return { ask, close };
}

/** Runs a form's work on submit; a failure is already in the alert region. */
export function onSubmit(formId, work) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    work().catch(() => undefined);
  });
}
