// The audit log, newest first, by target and action.
import { $, onSubmit, pagedTable, query, row } from './console-core.js';

let show;

/** Reloads the audit table with the filters as typed; every write of the console calls it afterwards. */
export async function loadAudit() {
  const target = $('audit-target').value.trim();
  const action = $('audit-action').value.trim();
  await show(`/admin/audit${query({ limit: 50, target, action })}`);
}

export function initAudit() {
  show = pagedTable('audit', 'more-audit', (e) => row([e.at, e.actor, e.action, e.target]));
  onSubmit('audit-filter', loadAudit);
}
