// A text/event-stream reader over a streamed fetch: the browser's EventSource cannot send the
// bearer token, so the window reads the gateway's stream itself.

export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

/** Feeds chunks of an event stream and hands out every complete event (the SSE rules). */
export class EventStreamParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;
  lastEventId: string | undefined;

  push(chunk: string): StreamEvent[] {
    this.buffer += chunk;
    const events: StreamEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone \r at the end of a chunk may be the first half of \r\n.
      if (this.buffer[end] === "\r" && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith("\r\n", end) ? 2 : 1));
      const dispatched = this.line(line);
      if (dispatched) events.push(dispatched);
    }
    return events;
  }

  private line(line: string): StreamEvent | undefined {
    if (line === "") {
      if (!this.data.length) {
        this.event = "";
        return undefined;
      }
      const out: StreamEvent = { event: this.event || "message", data: this.data.join("\n"), id: this.id };
      this.data = [];
      this.event = "";
      return out;
    }
    if (line.startsWith(":")) return undefined; // keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) {
      this.id = value;
      this.lastEventId = value;
    }
    return undefined;
  }
}

/** Reads a streamed response body as events until it ends or `signal` aborts. */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const parser = new EventStreamParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) yield event;
    }
    // An event the stream ended in the middle of is dropped, as EventSource does.
    for (const event of parser.push(decoder.decode())) yield event;
  } finally {
    reader.releaseLock();
  }
}
