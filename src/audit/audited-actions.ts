/** How an admin write names the object it changed in the audit log. */
export interface AuditedAction {
  /** The target's kind: the log's target is `<kind>:<id>`. */
  kind: string;
  /**
   * Where the id is: the route's path parameter (`param`, default `id`; the CLI's first argument), or for a
   * creation the response's field `resultKey`; a fixed target for writes on many objects.
   */
  resultKey?: string;
  param?: string;
  fixedTarget?: string;
  /** The target is the erased user: the log names a pseudonym and keeps no details. */
  erasesTarget?: boolean;
}

/**
 * Every admin write, by the CLI command's name, which is also the action the log records for the REST
 * route (`@Audited('accounts:deactivate')`): the log reads the same whichever way the operator went.
 */
export const AUDITED_ACTIONS = {
  'accounts:create': { kind: 'account', resultKey: 'id' },
  'accounts:update': { kind: 'account' },
  'accounts:deactivate': { kind: 'account' },
  'accounts:reactivate': { kind: 'account' },
  'accounts:token': { kind: 'account' },
  'accounts:webhook': { kind: 'account' },
  'accounts:represents': { kind: 'account' },
  'cases:create': { kind: 'case', resultKey: 'guid' },
  'cases:forward': { kind: 'case', param: 'guid' },
  'users:create': { kind: 'user', resultKey: 'id' },
  'users:update': { kind: 'user' },
  'users:deactivate': { kind: 'user' },
  'users:reactivate': { kind: 'user' },
  'users:token': { kind: 'user' },
  'users:erase': { kind: 'user', erasesTarget: true },
  'groups:create': { kind: 'group', resultKey: 'id' },
  'groups:members': { kind: 'group' },
  'groups:update': { kind: 'group' },
  'groups:delete': { kind: 'group' },
  'tokens:revoke': { kind: 'token' },
  'deliveries:retry': { kind: 'delivery' },
  'deliveries:retry-failed': { kind: 'delivery', fixedTarget: 'deliveries:failed' },
  'webhooks:create': { kind: 'account' },
  'webhooks:update': { kind: 'webhook' },
  'webhooks:delete': { kind: 'webhook' },
  'webhooks:redeliver': { kind: 'webhook' },
} satisfies Record<string, AuditedAction>;

export type AuditedActionName = keyof typeof AUDITED_ACTIONS;

export function auditedAction(name: string): AuditedAction | undefined {
  return (AUDITED_ACTIONS as Record<string, AuditedAction>)[name];
}

/** The target an action on `id` is recorded under. */
export function auditTarget(action: AuditedAction, id: unknown, pseudonym: (id: string) => string): string {
  if (action.fixedTarget) return action.fixedTarget;
  if (action.erasesTarget) return pseudonym(String(id));
  return `${action.kind}:${String(id).toLowerCase()}`;
}
