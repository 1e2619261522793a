import { UnauthorizedException } from '@nestjs/common';
import { readAuthorization, secretsEqual } from './token.util';

/**
 * `Authorization: Bearer <secret>` checked against one configured secret (operators, scrapers), telling
 * a missing token from a wrong one: `what` names the token, `variable` the setting that holds it.
 */
export function assertBearerSecret(authorization: string | undefined, secret: string, what: string, variable: string): void {
  if (!readAuthorization(authorization, 'Bearer')) throw new UnauthorizedException(`Missing ${what} token: use "Authorization: Bearer <${variable}>"`);
  if (!holdsBearerSecret(authorization, secret)) throw new UnauthorizedException(`Invalid ${what} token`);
}

/** Whether `Authorization: Bearer <token>` carries exactly `secret` (compared in constant time). */
export function holdsBearerSecret(authorization: string | undefined, secret: string): boolean {
  const token = readAuthorization(authorization, 'Bearer');
  return token !== undefined && secretsEqual(token, secret);
}
