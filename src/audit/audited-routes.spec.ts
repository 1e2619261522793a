import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AdminController } from '../admin/admin.controller';
import { DirectoryAdminController } from '../admin/directory-admin.controller';
import { DeliveryAdminController } from '../delivery/delivery-admin.controller';
import { WebhooksAdminController } from '../delivery/webhook/webhooks-admin.controller';
import { AuditController } from './audit.controller';
import { AUDITED_KEY } from './audited.decorator';
import { auditedAction } from './audited-actions';

const ADMIN_CONTROLLERS = [AdminController, DirectoryAdminController, DeliveryAdminController, WebhooksAdminController, AuditController];

/** Every route of the admin controllers: method, path and the audited action it declares. */
function routes(): Array<{ route: string; method: RequestMethod; action: string | undefined }> {
  return ADMIN_CONTROLLERS.flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .map((name) => (controller.prototype as unknown as Record<string, unknown>)[name])
      .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
      .map((handler) => ({
        route: `${controller.name} ${String(Reflect.getMetadata(PATH_METADATA, handler))}`,
        method: Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod,
        action: Reflect.getMetadata(AUDITED_KEY, handler) as string | undefined,
      })),
  );
}

describe('audited admin routes', () => {
  it('records every admin write under a known action, and no read', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(30);
    const unaudited = all.filter((r) => r.method !== RequestMethod.GET && (r.action === undefined || !auditedAction(r.action)));
    expect(unaudited.map((r) => r.route)).toEqual([]);
    expect(all.filter((r) => r.method === RequestMethod.GET && r.action !== undefined).map((r) => r.route)).toEqual([]);
  });
});
