import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiQuery, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto, RETRY_AFTER } from '../http/error-response.dto';
import { AccountType } from '../directory/directory.enums';
import { AdminAuthGuard } from './admin-auth.guard';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard } from './case-auth.guard';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { AnyPrincipal } from './principal';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';

export const CASE_SECURITY = 'accessToken';
export const CASE_BEARER_SECURITY = 'bearer';
export const CASE_HEADER_SECURITY = 'hubApiToken';
export const BIMPLUS_SECURITY = 'BimPlus';
export const ADMIN_SECURITY = 'admin';
export const METRICS_SECURITY = 'metrics';

const unauthorized = (description: string) => ApiUnauthorizedResponse({ description, type: ErrorResponseDto });
const authErrors = (description = 'Missing, unknown or revoked token') => [unauthorized(description), ApiTooManyRequestsResponse({ description: 'Rate limited; see Retry-After', type: ErrorResponseDto, headers: RETRY_AFTER })];

/** v3: a partner or provider account token, as `accessToken` query parameter, Bearer header or X-Hub-Api-Token header. */
export function CaseAuth(...roles: AccountType[]) {
  return applyDecorators(
    SetMetadata(AUTH_SCHEME_KEY, { scheme: 'case', roles: roles.length > 0 ? roles : Object.values(AccountType) } satisfies AuthScheme),
    UseGuards(CaseAuthGuard),
    ApiSecurity(CASE_SECURITY),
    ApiBearerAuth(CASE_BEARER_SECURITY),
    ApiSecurity(CASE_HEADER_SECURITY),
    ApiHeader({
      name: 'X-Service-Provider',
      required: false,
      description: "Act as this provider account: an integrator's token, for a provider its account represents (PUT /admin/accounts/{id}/represents)",
      schema: { type: 'string', pattern: '^[0-9]{1,10}$' },
    }),
    // A route open to one role answers the other with 403; a case the caller is not party to is the route's own 403.
    ...(roles.length > 0 ? [ApiForbiddenResponse({ description: 'No access (the other role)', type: ErrorResponseDto })] : []),
    ...authErrors('Missing, unknown or revoked token, a deactivated account, or a v2 user token'),
  );
}

/** v2: a user token as `Authorization: BimPlus <token>` (and, with `allowQueryToken`, `?accessToken=`). */
export function BimPlusAuth(options: { allowQueryToken?: boolean } = {}) {
  return applyDecorators(
    SetMetadata(AUTH_SCHEME_KEY, { scheme: 'bimplus', allowQueryToken: options.allowQueryToken === true } satisfies AuthScheme),
    UseGuards(BimPlusAuthGuard),
    ApiSecurity(BIMPLUS_SECURITY),
    ...(options.allowQueryToken === true
      ? [ApiQuery({ name: 'accessToken', required: false, description: 'The BimPlus token, for EventSource (which cannot set headers)', schema: { type: 'string' } })]
      : []),
    ...authErrors('Missing, unknown or revoked token, a deactivated user, or a v3 account token'),
  );
}

/**
 * Operators: `Authorization: Bearer <ADMIN_TOKEN>`; the routes do not exist without ADMIN_TOKEN. The right
 * token is never rate limited; a wrong one counts against the caller's address (throttle-key.ts).
 */
export function AdminAuth() {
  return applyDecorators(
    SetMetadata(AUTH_SCHEME_KEY, { scheme: 'operator', secret: 'ADMIN_TOKEN' } satisfies AuthScheme),
    UseGuards(AdminAuthGuard),
    ApiBearerAuth(ADMIN_SECURITY),
    ...authErrors(),
  );
}

/** Prometheus scrapers: `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set; open otherwise. Limited as AdminAuth. */
export function MetricsAuth() {
  return applyDecorators(
    SetMetadata(AUTH_SCHEME_KEY, { scheme: 'operator', secret: 'METRICS_TOKEN' } satisfies AuthScheme),
    UseGuards(MetricsAuthGuard),
    // Either no credentials (METRICS_TOKEN unset) or the bearer secret: `{}` is OpenAPI's "no security" alternative.
    ApiSecurity({}),
    ApiBearerAuth(METRICS_SECURITY),
    ...authErrors(),
  );
}

/** The authenticated caller, as the guard resolved it. */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): AnyPrincipal => {
  return context.switchToHttp().getRequest<{ principal: AnyPrincipal }>().principal;
});
