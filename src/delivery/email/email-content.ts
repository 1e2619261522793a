/** The parts of a v2 message an e-mail shows (the v2 wire shape). */
export interface EmailMessage {
  id: string;
  severity: string;
  topic: string;
  source: string;
  returnCode: string;
  additionalData?: string | null;
  timestamp: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  messageIdHeader: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** `<message.recipient@domain>`: the same for every attempt, so a resend is recognisable as a duplicate. */
export function stableMessageId(messageId: string, userId: string, mailFrom: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'localhost';
  return `<${messageId}.${userId}@${domain}>`;
}

/** Strips CR/LF so a field cannot start a new header line in the subject. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * Every line break as LF (nodemailer writes each as CRLF). A lone CR would otherwise reach SMTP's DATA
 * as it is, and `<CR>.<CR><LF>` is an end-of-data some lenient servers accept (SMTP smuggling).
 */
function lfOnly(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/** Subject, plain text and HTML body of the e-mail for one message and recipient. */
export function buildEmailContent(message: EmailMessage, userId: string, mailFrom: string): EmailContent {
  const subject = oneLine(`[${message.severity}] ${message.topic} (${message.source})`).slice(0, 250);
  const rows: Array<[string, string]> = [
    ['Severity', message.severity],
    ['Topic', message.topic],
    ['Source', message.source],
    ['Return code', message.returnCode],
    ['Time', message.timestamp],
  ];
  const extra = message.additionalData ?? '';
  const text = [...rows.map(([k, v]) => `${k}: ${v}`), ...(extra ? ['', extra] : [])].join('\n');
  const htmlRows = rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const htmlExtra = extra ? `<pre style="white-space:pre-wrap">${escapeHtml(extra)}</pre>` : '';
  const html = `<!doctype html><html><body><h2>${escapeHtml(message.topic)}</h2><table>${htmlRows}</table>${htmlExtra}</body></html>`;
  return { subject, text: lfOnly(text), html: lfOnly(html), messageIdHeader: stableMessageId(message.id, userId, mailFrom) };
}
