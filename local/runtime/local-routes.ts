/**
 * The local-only routes under /local/ (DESIGN.md, "Local-only conventions"):
 *   GET  /local/outbox                       the SMS either provider would have sent (read from the
 *                                            outbox's file), with `total`; ?to=+316… the ones to that number
 *   GET  /local/clock, POST /local/clock     the engine clock; {"advanceSeconds": N} fast-forwards it
 *   POST /local/sms   {"from", "body"}       a phone texting the service number, through the configured
 *                                            provider's inbound path -> {"provider", "messageId", "replies"}
 *   GET  /local/faults, POST /local/faults   injected function errors (faults.ts); GET also says which
 *                                            LOCAL_FAULTS are on and how many of each were injected
 * Errors are the API's `{ "error": { "code", "message" } }`.
 */
import type { ServerResponse } from 'node:http';
import type { FaultRates } from './fault-rates';
import { FaultInputError, type Faults } from './faults';
import type { Outbox } from './outbox';
import { InboundError, type LocalSmsInbound } from './sms-inbound';

export interface LocalRoutesSetup {
  outbox: Outbox;
  inbound: LocalSmsInbound;
  faults: Faults;
  rates?: FaultRates;
  now: () => number;
  advance: (seconds: number) => Promise<void>;
}

const E164 = /^\+[1-9]\d{7,14}$/;

export function localRoutes(setup: LocalRoutesSetup) {
  return async (
    method: string,
    path: string,
    body: Buffer,
    res: ServerResponse,
    query = new URLSearchParams(),
  ): Promise<boolean> => {
    const send = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const fail = (status: number, code: string, message: string) =>
      send(status, { error: { code, message } });
    const json = (): Record<string, unknown> | undefined => {
      try {
        const v = JSON.parse(body.toString('utf8') || '{}') as unknown;
        return typeof v === 'object' && v !== null && !Array.isArray(v)
          ? (v as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    };
    const clock = () => ({ now: new Date(setup.now()).toISOString() });
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /local/outbox': {
        // An unencoded `+` in a query is a space to URLSearchParams; E.164 has no spaces, so it was a `+`.
        const to = query.get('to')?.replace(/^ /, '+') ?? null;
        if (to !== null && !E164.test(to)) {
          fail(400, 'VALIDATION', 'to must be a phone number in E.164 form, e.g. +31612345678.');
          return true;
        }
        const messages = to === null ? setup.outbox.all() : setup.outbox.to(to);
        send(200, { messages, total: setup.outbox.count });
        return true;
      }
      case 'GET /local/clock':
        send(200, clock());
        return true;
      case 'POST /local/clock': {
        const seconds = json()?.advanceSeconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
          fail(400, 'VALIDATION', 'Body must be { "advanceSeconds": <number >= 0> }.');
          return true;
        }
        await setup.advance(seconds);
        send(200, clock());
        return true;
      }
      case 'POST /local/sms': {
        const input = json();
        const from = input?.from;
        const text = input?.body;
        if (typeof from !== 'string' || !E164.test(from) || typeof text !== 'string' || text.length > 1600) {
          fail(
            400,
            'VALIDATION',
            'Body must be { "from": "<E.164 number>", "body": "<text, at most 1600 characters>" }.',
          );
          return true;
        }
        try {
          send(200, await setup.inbound.fromPhone(from, text));
        } catch (e) {
          if (!(e instanceof InboundError)) throw e;
          fail(e.status, e.code, e.message);
        }
        return true;
      }
      case 'GET /local/faults': {
        const rates = setup.rates;
        const injected = Object.fromEntries(
          [...(rates?.rates ?? [])].map(([kind, rate]) => [
            kind,
            { rate, injected: rates?.injected.get(kind) ?? 0 },
          ]),
        );
        send(200, {
          faults: setup.faults.list(),
          rates: injected,
          ...(rates?.active ? { seed: rates.seed } : {}),
        });
        return true;
      }
      case 'POST /local/faults':
        try {
          send(201, { fault: setup.faults.add(json()) });
        } catch (e) {
          if (!(e instanceof FaultInputError)) throw e;
          fail(e.status, e.status === 404 ? 'NOT_FOUND' : 'VALIDATION', e.message);
        }
        return true;
      default:
        return false;
    }
  };
}
