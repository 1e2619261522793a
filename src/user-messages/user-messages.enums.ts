/** Wire values of a message's severity (canonical spelling). */
export enum Severity {
  Info = 'Info',
  Warning = 'Warning',
  Error = 'Error',
}

/** What the sender addressed: one user, or a group fanned out to its members at send time. */
export enum ReceiverType {
  User = 'user',
  Group = 'group',
}

/** The two per-recipient read flags a caller can set. */
export enum ReadChannel {
  Browser = 'browser',
  Email = 'email',
}

const SEVERITY_ALIASES: Record<string, Severity> = {
  info: Severity.Info,
  warning: Severity.Warning,
  warn: Severity.Warning,
  error: Severity.Error,
};

/** Case-insensitive severity with the original API's `Warn` alias; undefined when unknown. */
export function canonicalSeverity(value: string): Severity | undefined {
  return Object.prototype.hasOwnProperty.call(SEVERITY_ALIASES, value.toLowerCase()) ? SEVERITY_ALIASES[value.toLowerCase()] : undefined;
}
