/**
 * `npm run token -- --org ORG [--kind municipality|school|care-provider] [--sub ID] [--email E] [--hours N]`
 * Prints a provider JWT that the local gateway accepts (signed with the key in DATA_DIR).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { issuerConfig, routeSpecs } from './runtime/gateway';
import { type IssuerConfig, LocalIssuer } from './runtime/jwt';
import { loadAssembly } from './runtime/template';

const KINDS = ['municipality', 'school', 'care-provider'];
const root = resolve(__dirname, '..');
const dataDir = resolve(process.env.DATA_DIR || join(root, '.data'));

function config(): IssuerConfig {
  // Written by the runtime at start; before the first start, derive it from the template.
  const file = join(dataDir, 'issuer.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as IssuerConfig;
  const a = loadAssembly(join(root, 'cdk.out'));
  const ctx = {
    template: a.template,
    stackName: a.stackName,
    apiUrl: 'http://127.0.0.1',
    dynamicReference: () => '',
  };
  return issuerConfig(routeSpecs(ctx));
}

try {
  const { values } = parseArgs({
    options: {
      org: { type: 'string', default: 'gemeente-utrecht' },
      kind: { type: 'string', default: 'municipality' },
      sub: { type: 'string' },
      email: { type: 'string' },
      hours: { type: 'string', default: '12' },
    },
  });
  const org = values.org;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(org))
    throw new Error(`--org: lowercase letters, digits and dashes ('${org}')`);
  if (!KINDS.includes(values.kind)) throw new Error(`--kind: one of ${KINDS.join(', ')} ('${values.kind}')`);
  const hours = Number(values.hours);
  if (!(hours > 0)) throw new Error('--hours: a positive number');
  const issuer = LocalIssuer.open(dataDir, config());
  const token = issuer.sign(
    {
      sub: values.sub ?? `staff-${org}`,
      email: values.email ?? `medewerker@${org}.example.nl`,
      'custom:org': org,
      'custom:orgKind': values.kind,
    },
    Math.round(hours * 3600),
  );
  console.log(token);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
