import { ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';

export interface MessageStream {
  request: ClientRequest;
  response: IncomingMessage;
}

/**
 * Opens one SSE stream on its own connection and records, under each `message` event's message id, when
 * the chunk that completed it arrived (performance.now()). Rejects on any status but 200.
 */
export function openMessageStream(url: string, headers: Record<string, string>, arrivals: Map<string, number>): Promise<MessageStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return reject(new Error(`stream ${url} answered ${response.statusCode}`));
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame);
          if (data && /^event: message$/m.test(frame)) arrivals.set((JSON.parse(data[1]) as { id: string }).id, at);
        }
      });
      response.on('error', () => undefined);
      resolve({ request, response });
    });
    request.on('error', reject);
    request.end();
  });
}
