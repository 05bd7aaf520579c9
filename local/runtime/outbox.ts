/**
 * The outbox: every SMS either provider would have sent (End User Messaging's SendTextMessage,
 * sms.ts; Twilio's Messages API, twilio.ts), appended to DATA_DIR/outbox.jsonl instead. The
 * recipient's number is personal data: on disk it is sealed (AES-256-GCM) with a key of the outbox's
 * own (`outbox.jsonl.key`, mode 600), like the table's data; GET /local/outbox shows it opened.
 *
 * Memory holds the latest messages only (a round of 100,000 households sends ~70,000 SMS): the file
 * is the whole outbox, read again when all of it is asked for. Besides those, memory holds per
 * number the last message sent to it through AWS (an inbound SMS names it, previousPublishedMessageId).
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export type SmsProvider = 'aws' | 'twilio';

export interface OutboxMessage {
  messageId: string;
  /** Engine clock time (fast-forwarded), ISO. */
  at: string;
  /** Who would have sent it: End User Messaging SMS ('aws') or Twilio. */
  provider: SmsProvider;
  to: string;
  from?: string;
  body: string;
  messageType?: string;
}

/** How many of the latest messages memory keeps (GET /local/outbox shows them). */
export const MESSAGES_IN_MEMORY = 1_000;

export class Outbox {
  private latest: OutboxMessage[] = [];
  private added = 0;
  private readonly lastThroughAws = new Map<string, string>();
  private readonly key: Buffer;

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    private readonly print: (m: OutboxMessage) => void = () => {},
    private readonly keep = MESSAGES_IN_MEMORY,
  ) {
    this.key = outboxKey(`${file}.key`);
    for (const message of this.read()) this.remember(message);
  }

  /** Messages sent since the outbox was made, in every run on this DATA_DIR. */
  get count(): number {
    return this.added;
  }

  /** The latest messages (at most MESSAGES_IN_MEMORY), oldest first. */
  list(): OutboxMessage[] {
    return this.latest.slice(-this.keep);
  }

  /** The messages added after `count` was read, as far as memory still holds them. */
  since(count: number): OutboxMessage[] {
    const first = this.added - this.latest.length;
    return this.latest.slice(Math.max(0, count - first));
  }

  /** The id of the last message sent to `to` through AWS. */
  lastAwsMessageTo(to: string): string | undefined {
    return this.lastThroughAws.get(to);
  }

  /** Every message, oldest first, read from the file. */
  all(): OutboxMessage[] {
    return this.read();
  }

  /** Every message sent to `to`, oldest first, read from the file. */
  to(to: string): OutboxMessage[] {
    return this.read().filter((m) => m.to === to);
  }

  add(m: Omit<OutboxMessage, 'messageId' | 'at'>, messageId: string = randomUUID()): OutboxMessage {
    const { provider, ...rest } = m;
    const msg: OutboxMessage = { messageId, at: new Date(this.now()).toISOString(), provider, ...rest };
    const { to, ...stored } = msg;
    appendFileSync(this.file, `${JSON.stringify({ ...stored, toSealed: sealTo(this.key, to) })}\n`);
    this.remember(msg);
    this.print(msg);
    return msg;
  }

  private remember(message: OutboxMessage): void {
    this.added++;
    this.latest.push(message);
    // Trimmed in batches, so adding stays constant time.
    if (this.latest.length >= 2 * this.keep) this.latest = this.latest.slice(-this.keep);
    if (message.provider === 'aws') this.lastThroughAws.set(message.to, message.messageId);
  }

  private read(): OutboxMessage[] {
    if (!existsSync(this.file)) return [];
    const messages: OutboxMessage[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        // Entries from before there were two providers were all sent through AWS; entries from
        // before sealing have `to` in clear.
        const { toSealed, ...entry } = JSON.parse(line) as Omit<OutboxMessage, 'provider'> & {
          toSealed?: string;
        };
        const to = toSealed === undefined ? entry.to : openTo(this.key, toSealed);
        messages.push({ provider: 'aws', ...entry, to });
      } catch {
        // a line torn by a kill in mid-write: skip it
      }
    }
    return messages;
  }
}

/** The outbox's key: made once, kept beside the outbox, readable by its owner only. */
function outboxKey(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

function sealTo(key: Buffer, to: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(to, 'utf8'), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function openTo(key: Buffer, sealed: string): string {
  const [iv = '', body = '', tag = ''] = sealed.split('.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
