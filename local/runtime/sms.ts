/**
 * Outbound SMS: the pinpoint-sms-voice-v2 SendTextMessage operation (AWS JSON 1.0), emulated.
 * Messages are appended to DATA_DIR/outbox.jsonl instead of being sent.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface OutboxMessage {
  messageId: string;
  /** Engine clock time (fast-forwarded), ISO. */
  at: string;
  to: string;
  from?: string;
  body: string;
  messageType?: string;
}

export class Outbox {
  private readonly messages: OutboxMessage[] = [];

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    private readonly print: (m: OutboxMessage) => void = () => {},
  ) {
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.messages.push(JSON.parse(line) as OutboxMessage);
        } catch {
          // a line torn by a kill in mid-write: skip it
        }
      }
    }
  }

  list(): OutboxMessage[] {
    return [...this.messages];
  }

  add(m: Omit<OutboxMessage, 'messageId' | 'at'>): OutboxMessage {
    const msg: OutboxMessage = { messageId: randomUUID(), at: new Date(this.now()).toISOString(), ...m };
    appendFileSync(this.file, `${JSON.stringify(msg)}\n`);
    this.messages.push(msg);
    this.print(msg);
    return msg;
  }

  /** Serves `PinpointSMSVoiceV2.SendTextMessage`; returns false for other targets. */
  handle(target: string, body: string, res: ServerResponse): boolean {
    if (target !== 'PinpointSMSVoiceV2.SendTextMessage') return false;
    const fail = (type: string, message: string) =>
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type })
        .end(JSON.stringify({ __type: type, message }));
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      fail('SerializationException', 'Invalid JSON');
      return true;
    }
    const to = input.DestinationPhoneNumber;
    if (typeof to !== 'string' || !/^\+[1-9]\d{1,14}$/.test(to)) {
      fail('ValidationException', 'DestinationPhoneNumber must be an E.164 number');
      return true;
    }
    if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) {
      fail('ValidationException', 'MessageBody is required');
      return true;
    }
    const msg = this.add({
      to,
      body: input.MessageBody,
      ...(typeof input.OriginationIdentity === 'string' ? { from: input.OriginationIdentity } : {}),
      ...(typeof input.MessageType === 'string' ? { messageType: input.MessageType } : {}),
    });
    res
      .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
      .end(JSON.stringify({ MessageId: msg.messageId }));
    return true;
  }
}

export function readBody(req: IncomingMessage, limit = 10 * 2 ** 20): Promise<Buffer | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => ok(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}
