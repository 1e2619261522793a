// The operator console: every action is one admin API call with the token typed in at log-in, held in
// sessionStorage (gone with the tab). Each screen is a module; this one logs in and out and switches tabs.
import { $, say, setUnauthorizedHandler, TOKEN_KEY } from './console-core.js';
import { findAccounts, initAccounts } from './console-accounts.js';
import { initAudit, loadAudit } from './console-audit.js';
import { initCases } from './console-cases.js';
import { initDeliveries, loadDeliveries } from './console-deliveries.js';
import { initGroups, loadGroups } from './console-groups.js';
import { loadOverview } from './console-overview.js';
import { initUsers } from './console-users.js';
import { initWebhooks } from './console-webhooks.js';

/** Lists a tab loads the first time it is shown after log-in (the others load at log-in). */
const FIRST_SHOW = { 'groups-tab': loadGroups };
const shown = new Set();

const tabs = () => [...document.querySelectorAll('[role="tab"]')];

/** Selects a tab and shows its panel (WAI-ARIA tabs: only the selected tab is in the Tab order). */
function selectTab(tab, focus) {
  for (const other of tabs()) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
  if (!shown.has(tab.id) && !$('main').hidden) {
    shown.add(tab.id);
    FIRST_SHOW[tab.id]?.().catch(() => undefined);
  }
}

/** Arrow keys move between tabs, Home and End go to the first and last. */
function onTabKey(event) {
  const all = tabs();
  const at = all.indexOf(event.target);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  selectTab(all[(to + all.length) % all.length], true);
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
  shown.clear();
  selectTab($('overview-tab'), false);
  await Promise.all([loadOverview(), findAccounts(), loadDeliveries(), loadAudit()]);
  $('overview-tab').focus();
}

function init() {
  setUnauthorizedHandler(showLogin);
  initAccounts();
  initWebhooks();
  initCases();
  initUsers();
  initGroups();
  initDeliveries();
  initAudit();
  for (const tab of tabs()) {
    tab.addEventListener('click', () => selectTab(tab, false));
    tab.addEventListener('keydown', onTabKey);
  }
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('admin-token').value.trim());
    $('admin-token').value = '';
    say('');
    start().catch(() => undefined);
  });
  $('logout').addEventListener('click', showLogin);
  if (sessionStorage.getItem(TOKEN_KEY)) start().catch(() => undefined);
  else $('admin-token').focus();
}

// A module script runs once the document is parsed, like a deferred one.
init();
