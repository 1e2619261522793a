import { buildEmailContent, escapeHtml, stableMessageId } from './email-content';

const message = {
  id: '11111111-2222-3333-4444-555555555555',
  severity: 'Warning',
  topic: 'Disk <full>',
  source: 'backup',
  returnCode: 'E42',
  additionalData: '<script>alert(1)</script>',
  timestamp: '2026-11-22T10:00:00.000Z',
};

describe('buildEmailContent', () => {
  it('puts severity, topic and source in the subject', () => {
    expect(buildEmailContent(message, 'u1', 'a@b.example').subject).toBe('[Warning] Disk <full> (backup)');
  });

  it('escapes every field in the HTML body', () => {
    const { html } = buildEmailContent(message, 'u1', 'a@b.example');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Disk &lt;full&gt;');
  });

  it('keeps the text body unescaped and complete', () => {
    const { text } = buildEmailContent(message, 'u1', 'a@b.example');
    expect(text).toContain('Return code: E42');
    expect(text).toContain('Time: 2026-11-22T10:00:00.000Z');
    expect(text).toContain('<script>alert(1)</script>');
  });

  it('writes every line break of the bodies as LF, so no lone CR reaches SMTP (nodemailer sends LF as CRLF)', () => {
    const smuggled = 'OK\r\n.\r\nMAIL FROM:<ceo@bank.example>\rbare\r.\r';
    const { text, html } = buildEmailContent({ ...message, returnCode: smuggled, topic: 'a\rb', additionalData: 'x\r\ny\rz' }, 'u1', 'a@b.example');
    expect(text).not.toContain('\r');
    expect(html).not.toContain('\r');
    expect(text).toContain('Return code: OK\n.\nMAIL FROM:<ceo@bank.example>\nbare\n.\n');
    expect(text).toContain('x\ny\nz');
  });

  it('cannot inject header lines through the subject', () => {
    expect(buildEmailContent({ ...message, topic: 'a\r\nBcc: x@y' }, 'u1', 'a@b').subject).not.toMatch(/[\r\n]/);
  });
});

describe('stableMessageId', () => {
  it('is the same for the same message and recipient and uses the sender domain', () => {
    expect(stableMessageId('m', 'u', 'Service <no-reply@mail.example>')).toBe('<m.u@mail.example>');
    expect(stableMessageId('m', 'u', 'no-reply@mail.example')).toBe('<m.u@mail.example>');
  });
});

describe('escapeHtml', () => {
  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`"a" & 'b'`)).toBe('&quot;a&quot; &amp; &#39;b&#39;');
  });
});
