/** One Server-Sent Events frame. JSON never contains a raw newline, so `data` is a single line. */
export function sseEvent(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Only an id: EventSource records it as the last event id but dispatches nothing (the data buffer is
 * empty), so a stream moves past an event it has nothing to show for without a gap in its replay.
 */
export function sseIdOnly(id: number): string {
  return `id: ${id}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** `Last-Event-ID` (or the `lastEventId` query parameter) as a sequence number; undefined when absent, NaN when malformed. */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}
