/**
 * A webhook receiver: verifies each call by the Standard Webhooks specification over the raw body, drops
 * retries it has already handled (by `webhook-id`, the delivery id), and answers 2xx only once the event is
 * handled, so the service retries anything that failed.
 *
 *   WEBHOOK_SECRET=<the webhook's secret> PORT=4000 node -r ts-node/register/transpile-only examples/webhook-receiver.ts
 */
import { createServer } from 'node:http';
import { CaseMessage, verifyWebhook, WebhookVerificationError } from '../clients/typescript/src';

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  process.stderr.write('WEBHOOK_SECRET is required (the secret the webhook was created with)\n');
  process.exit(2);
}
const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** In memory for the example; a real receiver keeps handled ids where it stores the events. */
const handled = new Set<string>();

function handle(event: string | undefined, message: CaseMessage): void {
  process.stdout.write(`${JSON.stringify({ event, id: message.id, guid: message.guid, content: message.content })}\n`);
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) request.destroy();
    else chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      const call = verifyWebhook<CaseMessage>(secret, Buffer.concat(chunks), request.headers);
      if (!handled.has(call.id)) {
        handle(call.event, call.payload);
        handled.add(call.id);
      }
      response.writeHead(204).end();
    } catch (error) {
      const refused = error instanceof WebhookVerificationError;
      process.stderr.write(`refused a call: ${(error as Error).message}\n`);
      response.writeHead(refused ? 401 : 400, { 'content-type': 'text/plain' }).end(refused ? 'invalid signature' : 'bad request');
    }
  });
});

server.listen(Number(process.env.PORT ?? 4000), () => process.stdout.write(`listening on ${JSON.stringify(server.address())}\n`));
