/**
 * The HTTP calls of `npm run round` (local/round.ts): the rounds API with a bearer token, errors that
 * name what the API said, and the upload streamed from disk (never the whole file in memory).
 */
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type * as z from 'zod/mini';
import { createdRound, round, startedRound } from '../../functions/contract/responses';

// The API's own response contract, so the CLI reads a round exactly as the API writes it.
export type RoundBody = z.infer<typeof round>;
export type Upload = z.infer<typeof createdRound>['upload'];

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), {
        method,
        headers: {
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      const why = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new ApiError(`Cannot reach ${this.base} (${why}). Is the runtime running (npm start)?`, 0);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    if (err?.message) {
      const details = err.details === undefined ? '' : `\n  details: ${JSON.stringify(err.details)}`;
      throw new ApiError(
        `${method} ${path}: ${res.status} ${err.code ?? ''} ${err.message}${details}`,
        res.status,
        err.code,
      );
    }
    const hint = res.status === 401 ? ' (the token was refused: expired, or for another deployment?)' : '';
    throw new ApiError(`${method} ${path}: ${res.status} ${text.slice(0, 200)}${hint}`, res.status);
  }

  async createRound(serviceId: string, name: string, onInvalid: 'skip' | 'reject') {
    return createdRound.parse(await this.call('POST', '/rounds', { serviceId, name, onInvalid }));
  }

  /** The new attempt, or 'running' when another start is in progress (409 ROUND_RUNNING). */
  async startRound(roundId: string): Promise<{ attempt: number } | 'running'> {
    try {
      const out = startedRound.parse(await this.call('POST', `/rounds/${roundId}/start`));
      return { attempt: out.attempt };
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ROUND_RUNNING') return 'running';
      throw e;
    }
  }

  async round(roundId: string): Promise<RoundBody> {
    return round.parse(await this.call('GET', `/rounds/${roundId}`));
  }
}

/** PUTs the file to the presigned URL, streamed from disk with its length known up front. */
export async function putFile(upload: Upload, file: string): Promise<void> {
  const url = new URL(upload.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request(url, {
    method: upload.method,
    headers: { ...upload.headers, 'content-length': String(statSync(file).size) },
  });
  const answer = new Promise<{ status: number; body: string }>((ok, fail) => {
    req.once('error', fail);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.once('end', () => ok({ status: res.statusCode ?? 0, body }));
      res.once('error', fail);
    });
  });
  // A refusal can arrive (and close the socket) before the whole file went out: the answer counts.
  const sent = pipeline(createReadStream(file), req).then(
    () => undefined,
    (e: Error) => e,
  );
  const { status, body } = await answer.catch(async (e: Error) => {
    throw new ApiError(`Upload to ${url.origin} failed: ${((await sent) ?? e).message}`, 0);
  });
  if (status < 200 || status >= 300) {
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
    const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
    throw new ApiError(
      `Upload refused: ${status} ${code ?? ''} ${message ?? body.slice(0, 200)}`,
      status,
      code,
    );
  }
}
