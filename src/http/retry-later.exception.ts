import { HttpException } from '@nestjs/common';

/** A refusal the caller may repeat after `retryAfterSeconds`; the error filter sends that as Retry-After. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    status: number,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}
