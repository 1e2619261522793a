import { SetMetadata } from '@nestjs/common';
import { AuditedActionName } from './audited-actions';

export const AUDITED_KEY = 'audited';

/** Marks an admin route as a write recorded in the audit log under `action` (see AUDITED_ACTIONS). */
export const Audited = (action: AuditedActionName) => SetMetadata(AUDITED_KEY, action);
