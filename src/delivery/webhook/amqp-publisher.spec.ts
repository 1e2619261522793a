import { amqpUrlProblem, redactAmqpUrl } from './amqp-publisher';

describe('redactAmqpUrl', () => {
  it.each([
    ['amqp://user:s3cret@broker.example:5672/vhost', 'amqp://user:***@broker.example:5672/vhost'],
    ['amqps://user:s3cret@broker.example/prod', 'amqps://user:***@broker.example/prod'],
    ['amqp://:s3cret@broker.example', 'amqp://:***@broker.example'],
    ['amqp://user@broker.example:5672', 'amqp://user@broker.example:5672'],
    ['amqp://broker.example', 'amqp://broker.example'],
    ['amqp://user:p%40ss@[::1]:5672/%2f', 'amqp://user:***@[::1]:5672/%2f'],
  ])('shows %s as %s', (url, redacted) => {
    expect(redactAmqpUrl(url)).toBe(redacted);
  });

  it('drops the query and fragment, which may carry secrets as well', () => {
    expect(redactAmqpUrl('amqp://user:s3cret@host/v?heartbeat=5&token=t0ken#frag')).toBe('amqp://user:***@host/v');
  });

  it.each([['amqp://user:s3cret@/vhost'], ['amqp://user:s3cret@'], ['user:s3cret@host'], ['not a url s3cret'], ['amqp://user:1234/s3cret@host'], ['amqp://user:1234?s3cret@host']])(
    'echoes nothing of %s, where it cannot tell the password apart',
    (url) => {
      const redacted = redactAmqpUrl(url);
      expect(redacted).toBe('[unparseable URL]');
      expect(redacted).not.toContain('s3cret');
    },
  );
});

describe('amqpUrlProblem', () => {
  it.each([['amqp://guest:guest@127.0.0.1:5672'], ['amqps://broker.example/prod'], ['AMQP://broker.example'], ['amqp://[::1]/%2f?heartbeat=10']])(
    'accepts %s',
    (url) => {
      expect(amqpUrlProblem(url)).toBeUndefined();
    },
  );

  it.each([
    ['', 'must be a valid URL'],
    ['broker.example:5672', 'must use the amqp: or amqps: scheme'],
    ['amqp://host:99999', 'must be a valid URL'],
    ['http://broker.example', 'must use the amqp: or amqps: scheme'],
    ['amqp:///vhost', 'must name a host'],
    ['amqp:broker.example', 'must name a host'],
    ['amqp://user:1234/s3cret@host', 'must percent-encode "@", "/", "?" and "#" in its user name and password'],
  ])('refuses %j: %s', (url, problem) => {
    expect(amqpUrlProblem(url)).toBe(problem);
  });

  it('never repeats the URL, so a password in it stays out of validation messages', () => {
    expect(amqpUrlProblem('http://user:s3cret@host')).not.toContain('s3cret');
  });
});
