// Groups: list by name, open one (or by id), rename or describe it, delete it behind a confirmation.
import { $, api, confirmStep, details, onSubmit, pagedTable, query, row, say } from './console-core.js';
import { loadAudit } from './console-audit.js';

/** Members listed by id in the group's details; the count is always shown. */
const MEMBERS_SHOWN = 20;

let show;
let current;
let deletion;

export async function loadGroups() {
  await show(`/admin/groups${query({ limit: 50 })}`);
}

async function openGroup(id) {
  current = await api('GET', `/admin/groups/${encodeURIComponent(id)}`);
  deletion.close();
  $('group-panel').hidden = false;
  $('group-title').textContent = `Group ${current.name}`;
  const members = current.memberIds.slice(0, MEMBERS_SHOWN).join(', ');
  const more = current.memberIds.length > MEMBERS_SHOWN ? ` and ${current.memberIds.length - MEMBERS_SHOWN} more` : '';
  details('group-details', [['Id', current.id], ['Name', current.name], ['Description', current.description], ['Members', current.memberIds.length], ['Member ids', members + more]]);
  $('group-name').value = current.name;
  $('group-description').value = current.description || '';
}

async function saveGroup() {
  const description = $('group-description').value.trim();
  const saved = await api('PATCH', `/admin/groups/${current.id}`, { name: $('group-name').value.trim(), description: description === '' ? null : description });
  await Promise.all([openGroup(saved.id), loadGroups(), loadAudit()]);
  say(`Group ${saved.id} saved`);
}

function askDeletion() {
  const group = current;
  deletion.ask(`Deleting ${group.name} cannot be undone; messages already sent to it stay with their recipients.`, `Confirm deletion of ${group.name}`, async () => {
    await api('DELETE', `/admin/groups/${group.id}`);
    $('group-panel').hidden = true;
    await Promise.all([loadGroups(), loadAudit()]);
    say(`Group ${group.id} deleted`);
  });
}

export function initGroups() {
  show = pagedTable('groups', 'more-groups', (g) => row([g.id, g.name, g.description], [['Open', () => openGroup(g.id)]]));
  deletion = confirmStep('group-delete-confirm');
  onSubmit('group-open', () => openGroup($('group-id').value.trim()));
  onSubmit('group-edit', saveGroup);
  $('delete-group').addEventListener('click', askDeletion);
  $('reload-groups').addEventListener('click', () => loadGroups().catch(() => undefined));
}
