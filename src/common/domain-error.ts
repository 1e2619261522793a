/** What went wrong, independent of the transport: the global filter turns it into a status, the CLI prints the message. */
export type DomainErrorCode = 'INVALID' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT';

/**
 * A rule of a feature refused the request. Services throw this instead of Nest's HTTP exceptions, so they
 * serve the REST API and the CLI alike; the message is shown to the caller as it is.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
