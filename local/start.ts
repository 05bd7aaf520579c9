/**
 * `npm start`: the whole system on one machine, from the synthesized template.
 * `npm start -- -c key=value ...` synthesizes with that CDK context (e.g. -c smsProvider=twilio);
 * `npm start -- --assembly DIR` runs that cloud assembly as it is, without synthesizing.
 * PORT (default 3000), DATA_DIR (default .data/), LOG_LEVEL=debug for every REPORT line,
 * LOCAL_DEMO=0 to skip the demo cases, LOCAL_SYNTH=skip to use cdk.out as it is (CDK_OUT: another folder),
 * LOCAL_IAM=off to run without the template's IAM checks, LOCAL_FAULTS / LOCAL_FAULTS_SEED to inject
 * AWS's transient faults (README, local settings).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_ORGS, ensureDemo, providerToken } from './runtime/demo';
import { startRuntime } from './runtime/runtime';
import { parseStartArgs } from './runtime/start-args';
import { ensureSynth } from './runtime/synth';

const root = resolve(__dirname, '..');
const dataDir = resolve(process.env.DATA_DIR || join(root, '.data'));
const port = Number(process.env.PORT ?? 3000);
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number ('${process.env.PORT}')`);
  const args = parseStartArgs(process.argv.slice(2));
  let cdkOut = resolve(process.env.CDK_OUT || join(root, 'cdk.out'));
  if (args.assembly !== undefined) {
    cdkOut = resolve(args.assembly);
    if (!existsSync(cdkOut)) throw new Error(`--assembly ${args.assembly}: no such folder`);
    console.log(`Running the cloud assembly in ${cdkOut} as it is (no synth)`);
  } else if (process.env.LOCAL_SYNTH !== 'skip') await ensureSynth(root, console.log, args.context);
  const rt = await startRuntime({
    cdkOut,
    dataDir,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    log: (line) => console.log(line),
    verbose: process.env.LOG_LEVEL === 'debug',
    sweepIntervalMs: Number(process.env.TTL_SWEEP_MS ?? 60_000),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    const stuck = setTimeout(() => {
      console.error('Did not stop within 10 s; exiting anyway.');
      process.exit(1);
    }, 10_000);
    stuck.unref();
    await rt.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const demo = process.env.LOCAL_DEMO === '0' ? [] : await ensureDemo(rt.url, dataDir, rt.issuer);
  const out = [
    '',
    `coproduce is running (data in ${dataDir})`,
    `  API             ${rt.url}`,
    `  services        ${rt.url}/services`,
    `  outbox (SMS)    ${rt.url}/local/outbox`,
    `  SMS in          POST ${rt.url}/local/sms    {"from": "+31612345678", "body": "ja"}  (via ${rt.inbound.provider ?? 'no inbound path'}; npm run sms)`,
    `  clock           POST ${rt.url}/local/clock  {"advanceSeconds": 86400}`,
    `  faults          POST ${rt.url}/local/faults {"function": "open-step", "times": 1, "error": "Case.Broken"}`,
    `  IAM             ${rt.iam.enabled ? "the template's policies, enforced on every call (LOCAL_IAM=off turns it off)" : 'NOT enforced (LOCAL_IAM=off)'}`,
    `  AWS faults      ${rt.rates.active ? `${[...rt.rates.rates].map(([k, r]) => `${k}=${r}`).join(',')} (LOCAL_FAULTS_SEED=${rt.rates.seed})` : 'none (LOCAL_FAULTS)'}`,
  ];
  if (demo.length) out.push('', 'Demo cases (citizen pages):');
  for (const d of demo)
    out.push(`  ${d.serviceId.padEnd(18)} ${d.citizenLink}   (case ${d.caseId}, ${d.org})`);
  const org = DEMO_ORGS.municipality as string;
  out.push(
    '',
    `Provider token (${org}, municipality; more with npm run token -- --org ORG --kind KIND):`,
    providerToken(rt.issuer, org, 'municipality'),
    '',
    `Ready: ${rt.url}`,
  );
  console.log(out.join('\n'));
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
