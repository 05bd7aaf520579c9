/**
 * Runs the real local runtime (`local/start.ts`) as a child process on a free port with a
 * temporary DATA_DIR, and talks to it over HTTP only, as a user would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalIssuer } from '../../local/runtime/jwt';
import { ensureSynth } from '../../local/runtime/synth';
import { ResponseContract } from '../support/openapi-responses';

export const ROOT = resolve(__dirname, '../..');
export const TWILIO_TOKEN = 'e2e-twilio-auth-token';
/** CDK_OUT points the tests at another assembly (and skips the synth). */
const CDK_OUT = process.env.CDK_OUT ? resolve(process.env.CDK_OUT) : join(ROOT, 'cdk.out');

export async function prepareAssembly(): Promise<void> {
  if (!process.env.CDK_OUT) await ensureSynth(ROOT);
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export class LocalSystem {
  url = '';
  output = '';
  private child: ChildProcess | undefined;
  private issuer: LocalIssuer | undefined;
  private contract: Promise<ResponseContract> | undefined;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly cdkOut: string,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * `cdkOut`: another cloud assembly to run as it is (e.g. an edited copy, see assembly.ts);
   * `env`: more settings for the runtime, over the harness's own (e.g. LOCAL_FAULTS, a log level).
   */
  static async start(options: { cdkOut?: string; env?: Record<string, string> } = {}): Promise<LocalSystem> {
    const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-e2e-'));
    const sys = new LocalSystem(dataDir, await freePort(), options.cdkOut ?? CDK_OUT, options.env ?? {});
    await sys.boot();
    return sys;
  }

  /** (Re)starts the process on the same port and data. */
  async boot(): Promise<void> {
    this.url = '';
    const from = this.output.length;
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local/start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_NO_WARNINGS: '1',
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        CDK_OUT: this.cdkOut,
        LOCAL_SYNTH: 'skip',
        LOCAL_DEMO: '0',
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`runtime did not start:\n${this.output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        const m = /Ready: (\S+)/.exec(this.output.slice(from));
        if (m && !this.url) {
          this.url = m[1] as string;
          clearTimeout(timer);
          ok();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => {
        this.output += c.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`runtime exited (${code}):\n${this.output}`));
      });
    });
    this.issuer = undefined;
  }

  /** SIGKILL: no chance to flush or close anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGINT');
    return exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  token(org: string, kind = 'municipality'): string {
    this.issuer ??= LocalIssuer.open(this.dataDir, requireJson(join(this.dataDir, 'issuer.json')));
    return this.issuer.sign({
      sub: `staff-${org}`,
      email: `a@${org}.nl`,
      'custom:org': org,
      'custom:orgKind': kind,
    });
  }

  async request(
    method: string,
    path: string,
    opts: {
      token?: string;
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    await this.holdToContract({ method, path, status: res.status, headers: res.headers, text });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json: json as Record<string, unknown> & Loose, headers: res.headers };
  }

  /** Every response a test receives must hold to the contract the system publishes (GET /openapi.json). */
  private async holdToContract(received: Parameters<ResponseContract['check']>[0]): Promise<void> {
    this.contract ??= (async () => {
      // Again after a 5xx: with LOCAL_FAULTS on, the openapi function may be throttled too.
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${this.url}/openapi.json`);
        if (res.status === 200) return new ResponseContract(await res.json());
        if (attempt === 8) throw new Error(`GET /openapi.json: ${res.status} ${await res.text()}`);
      }
    })();
    const problems = (await this.contract).check(received);
    if (problems.length > 0)
      throw new Error(
        `The response breaks the contract:\n${problems.join('\n')}\nThe runtime's last lines:\n${this.output.slice(-2000)}`,
      );
  }

  /** An inbound SMS as Twilio would post it, signed with the auth token. */
  sms(from: string, body: string) {
    const params: Record<string, string> = {
      From: from,
      To: '+3197010000000',
      Body: body,
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    };
    const payload = Object.keys(params)
      .sort()
      .reduce((acc, k) => acc + k + params[k], `${this.url}/sms/inbound`);
    const signature = createHmac('sha1', TWILIO_TOKEN).update(payload, 'utf8').digest('base64');
    return this.request('POST', '/sms/inbound', {
      form: params,
      headers: { 'x-twilio-signature': signature },
    });
  }

  async outbox(): Promise<{ to: string; body: string; at: string }[]> {
    return (
      (await this.request('GET', '/local/outbox')).json as {
        messages: { to: string; body: string; at: string }[];
      }
    ).messages;
  }

  async advance(seconds: number): Promise<void> {
    const res = await this.request('POST', '/local/clock', { json: { advanceSeconds: seconds } });
    if (res.status !== 200) throw new Error(`clock: ${res.status} ${res.text}`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: e2e tests read deep into JSON responses
export type Loose = any;

function requireJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
