import assert from "node:assert/strict";
import { test } from "node:test";

import { EventStreamParser, readEvents } from "../src/lib/eventStream.js";

test("events split across chunks, keep-alive comments skipped", () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push(": keep-alive\n\nid: 1\nevent: sta"), []);
  const events = parser.push('tus\ndata: {"status":"queued"}\n\n');
  assert.deepEqual(events, [{ event: "status", data: '{"status":"queued"}', id: "1" }]);
  assert.equal(parser.lastEventId, "1");
});

test("CRLF and CR line ends, multi-line data, default event name", () => {
  const parser = new EventStreamParser();
  const events = parser.push("data: a\r\ndata: b\r\n\r");
  assert.deepEqual(events, []); // the last \r may be half of \r\n
  assert.deepEqual(parser.push("\nid: 7\rdata:c\r\r\n"), [
    { event: "message", data: "a\nb", id: undefined },
    { event: "message", data: "c", id: "7" },
  ]);
});

test("readEvents decodes a byte stream split inside a UTF-8 character and drops a cut-off event", async () => {
  const bytes = new TextEncoder().encode('id: 2\nevent: status\ndata: {"name":"Jürgen"}\n\ndata: cut');
  const cut = bytes.indexOf(0xc3) + 1;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut));
      controller.enqueue(bytes.slice(cut));
      controller.close();
    },
  });
  const seen = [];
  for await (const event of readEvents(body)) seen.push(event);
  assert.deepEqual(seen, [{ event: "status", data: '{"name":"Jürgen"}', id: "2" }]);
});
