import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../../bench/local-http';

// bench:local's client makes its requests with node:http over kept-alive connections (local-http.ts).

describe("bench:local's client HTTP", () => {
  let server: Server;
  let base: string;
  const never = new AbortController().signal;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answer = JSON.stringify({
          method: req.method,
          length: req.headers['content-length'] ?? null,
          type: req.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
          port: req.socket.remotePort,
        });
        res.writeHead(req.url === '/refuse' ? 409 : 200, { 'content-type': 'application/json' }).end(answer);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  const call = (path: string, more: Partial<Parameters<typeof httpCall>[1]> = {}) =>
    httpCall(`${base}${path}`, { method: 'GET', headers: {}, signal: never, timeoutMs: 5_000, ...more });

  it('sends the body with its length and answers with the status and the whole text, over one connection', async () => {
    const body = JSON.stringify({ data: { satisfied: 'één' } });
    const posted = await call('/cases', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(posted.status).toBe(200);
    const seen = JSON.parse(posted.text);
    expect(seen).toMatchObject({ method: 'POST', type: 'application/json', body });
    expect(Number(seen.length)).toBe(Buffer.byteLength(body));
    const again = JSON.parse((await call('/cases')).text);
    expect(again).toMatchObject({ method: 'GET', length: null, body: '' });
    expect(again.port).toBe(seen.port); // the connection was kept
    const refused = await call('/refuse');
    expect(refused.status).toBe(409); // the caller decides what a refusal means
  });

  it('gives up after its timeout, and when its signal aborts', async () => {
    const started = Date.now();
    await expect(call('/hang', { timeoutMs: 200 })).rejects.toThrow('no answer within 200 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const aborted = new AbortController();
    const waiting = call('/hang', { signal: aborted.signal });
    setTimeout(() => aborted.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await expect(call('/cases', { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
