import { UnauthorizedException } from '@nestjs/common';
import { readAuthorization, secretsEqual } from './token.util';

/**
 * `Authorization: Bearer <secret>` checked against one configured secret (operators, scrapers), telling
 * a missing token from a wrong one: `what` names the token, `variable` the setting that holds it.
 */
export function assertBearerSecret(authorization: string | undefined, secret: string, what: string, variable: string): void {
  const token = readAuthorization(authorization, 'Bearer');
  if (!token) throw new UnauthorizedException(`Missing ${what} token: use "Authorization: Bearer <${variable}>"`);
  if (!secretsEqual(token, secret)) throw new UnauthorizedException(`Invalid ${what} token`);
}
