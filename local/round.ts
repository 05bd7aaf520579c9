/**
 * `npm run round -- start SERVICE FILE.csv [--name NAME] [--skip-invalid] [--url URL] [--org ORG]`
 * `npm run round -- status ROUND_ID [--url URL] [--org ORG]`
 * Starts a round through the HTTP API (create, upload the file streaming, start) and follows it with a
 * progress bar on stderr. URL defaults to http://localhost:$PORT (3000). The token is COPRODUCE_TOKEN
 * (a real deployment) or one signed by the local issuer in DATA_DIR for ORG (default: the demo
 * organisation of the service's provider kind). Exit code 0 STARTED, 2 REJECTED, 1 FAILED or an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_ORGS } from './runtime/demo';
import { type IssuerConfig, LocalIssuer } from './runtime/jwt';
import { Api, ApiError, putFile } from './runtime/round-client';
import { Progress, summary } from './runtime/round-progress';

const root = resolve(__dirname, '..');
const dataDir = resolve(process.env.DATA_DIR || join(root, '.data'));

const common = {
  url: z.url({ protocol: /^https?$/ }).default(`http://localhost:${process.env.PORT ?? 3000}`),
  org: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
    .optional(),
};
const Argv = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('start'),
    serviceId: z.string().regex(/^[a-z0-9-]+$/, 'a service id such as waste-collection'),
    file: z.string().refine((f) => existsSync(f), 'no such file'),
    name: z.string().trim().min(1).max(100).optional(),
    skipInvalid: z.boolean().default(false),
    ...common,
  }),
  z.object({
    command: z.literal('status'),
    roundId: z.string().regex(/^[0-9a-f]{32}$/, '32 hex digits'),
    ...common,
  }),
]);
type Argv = z.infer<typeof Argv>;

function parse(): Argv {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      url: { type: 'string' },
      org: { type: 'string' },
    },
  });
  const [command, first, second] = positionals;
  const parsed = Argv.safeParse({
    command,
    ...(command === 'start' ? { serviceId: first, file: second } : { roundId: first }),
    name: values.name,
    skipInvalid: values['skip-invalid'],
    url: values.url,
    org: values.org,
  });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'command'}: ${i.message}`);
  throw new Error(
    `${issues.join('\n')}\nUsage: npm run round -- start SERVICE FILE.csv [--name NAME] [--skip-invalid] [--url URL]\n` +
      '       npm run round -- status ROUND_ID [--url URL]',
  );
}

/** COPRODUCE_TOKEN, or a token of the local issuer (written to DATA_DIR by `npm start`). */
function token(org: string): string {
  if (process.env.COPRODUCE_TOKEN) return process.env.COPRODUCE_TOKEN;
  const file = join(dataDir, 'issuer.json');
  if (!existsSync(file))
    throw new Error(`No local issuer in ${dataDir}: start the runtime (npm start) or set COPRODUCE_TOKEN.`);
  const issuer = LocalIssuer.open(dataDir, JSON.parse(readFileSync(file, 'utf8')) as IssuerConfig);
  const kind = Object.entries(DEMO_ORGS).find(([, o]) => o === org)?.[0] ?? 'municipality';
  return issuer.sign({
    sub: `staff-${org}`,
    email: `medewerker@${org}.example.nl`,
    'custom:org': org,
    'custom:orgKind': kind,
  });
}

async function providerOrg(api: Api, serviceId: string): Promise<string> {
  const list = (await api.call('GET', '/services')) as { items?: { id: string; providerKind?: string }[] };
  const services = list.items ?? [];
  const service = services.find((s) => s.id === serviceId);
  if (!service)
    throw new Error(`Unknown service '${serviceId}' (known: ${services.map((s) => s.id).join(', ')})`);
  return DEMO_ORGS[service.providerKind ?? 'municipality'] ?? 'gemeente-utrecht';
}

async function follow(api: Api, roundId: string, attempt: number): Promise<number> {
  const progress = new Progress(process.stderr);
  for (;;) {
    const round = await api.round(roundId);
    // A view of an earlier attempt (or not yet past it) is not this run's end.
    const done = round.attempt >= attempt && ['STARTED', 'REJECTED', 'FAILED'].includes(round.status);
    progress.update(round, done);
    if (done) {
      process.stdout.write(summary(round, progress.seconds()));
      return round.status === 'STARTED' ? 0 : round.status === 'REJECTED' ? 2 : 1;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<number> {
  const argv = parse();
  if (argv.command === 'status') {
    const api = new Api(argv.url, token(argv.org ?? 'gemeente-utrecht'));
    const round = await api.round(argv.roundId);
    process.stdout.write(summary(round));
    return 0;
  }
  // The organisation matters only for a local token; COPRODUCE_TOKEN carries its own.
  const org = process.env.COPRODUCE_TOKEN
    ? ''
    : (argv.org ?? (await providerOrg(new Api(argv.url, ''), argv.serviceId)));
  const api = new Api(argv.url, token(org));
  const name = argv.name ?? basename(argv.file, extname(argv.file));
  const created = await api.createRound(argv.serviceId, name, argv.skipInvalid ? 'skip' : 'reject');
  // Following a round started elsewhere: any attempt that ends counts (POST /rounds does not name one).
  let attempt = 0;
  if (created.status === 'VALIDATING' || created.status === 'STARTING') {
    process.stderr.write(`Round ${created.roundId} is already running; following it.\n`);
  } else {
    process.stderr.write(`Round '${name}' (${created.roundId}): uploading ${argv.file}...\n`);
    await putFile(created.upload, argv.file);
    const started = await api.startRound(created.roundId);
    if (started === 'running') process.stderr.write('The round is already running; following it.\n');
    else attempt = started.attempt;
  }
  return follow(api, created.roundId, attempt);
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    // Expected failures (HTTP, arguments, files) as one message; a stack only for the unexpected.
    const plain = e instanceof ApiError || !(e instanceof TypeError || e instanceof RangeError);
    process.stderr.write(`\n${plain ? e.message : (e.stack ?? e.message)}\n`);
    process.exit(1);
  },
);
