import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CoproduceStack } from '../lib/coproduce-stack';
import { loadServices } from '../workflows/load';

// Context (cdk.json or `-c key=value`, README: Deploy to AWS): stage, smsProvider (aws | twilio),
// smsOriginationIdentity (aws), twilioAccountSid and twilioFrom (twilio, required), alarmEmail,
// retentionDays, logLevel, publicUrl, deletionProtection, consoleCallbackUrls (comma separated),
// staffEmailFrom and staffEmailDomain (staff e-mail through SES);
// rounds (README, Rounds): roundMaxConcurrency (10), roundToleratedFailurePercentage (5),
// roundBatchSize (50), roundFileDays (3).

const app = new App();
const ctx = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};

const stage = ctx('stage') ?? 'dev';
if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage))
  throw new Error(`context stage: lowercase letters, digits and dashes ('${stage}')`);
const retentionDays = Number(ctx('retentionDays') ?? 365);
if (!Number.isInteger(retentionDays) || retentionDays < 1)
  throw new Error('context retentionDays: a whole number of days');
const logLevel = (ctx('logLevel') ?? 'ERROR').toUpperCase();
if (logLevel !== 'ERROR' && logLevel !== 'ALL')
  throw new Error(`context logLevel: ERROR or ALL ('${logLevel}')`);
const protect = (ctx('deletionProtection') ?? String(stage === 'prod')) === 'true';
const smsProvider = ctx('smsProvider') ?? 'aws';
if (smsProvider !== 'aws' && smsProvider !== 'twilio')
  throw new Error(`context smsProvider: aws or twilio ('${smsProvider}')`);
/** Twilio's account and sender, required with smsProvider=twilio; each missing or malformed one is named. */
function twilioSettings(): { accountSid: string; from: string } | undefined {
  if (smsProvider !== 'twilio') return undefined;
  const accountSid = ctx('twilioAccountSid');
  const from = ctx('twilioFrom');
  const problems = [
    accountSid === undefined
      ? 'context twilioAccountSid is required with smsProvider=twilio'
      : /^AC[0-9a-fA-F]{32}$/.test(accountSid)
        ? undefined
        : `context twilioAccountSid: AC followed by 32 hex characters ('${accountSid}')`,
    from === undefined
      ? 'context twilioFrom is required with smsProvider=twilio'
      : /^(\+[1-9]\d{7,14}|MG[0-9a-fA-F]{32})$/.test(from)
        ? undefined
        : `context twilioFrom: an E.164 number (+31...) or a Messaging Service SID (MG...) ('${from}')`,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { accountSid: accountSid as string, from: from as string };
}
const alarmEmail = ctx('alarmEmail');
if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
  throw new Error(`context alarmEmail: an e-mail address ('${alarmEmail}')`);
/** Staff e-mail through SES: the sender's address, and the verified domain when the address itself is not. */
function staffEmail(): { from: string; verifiedDomain?: string } | undefined {
  const from = ctx('staffEmailFrom');
  const domain = ctx('staffEmailDomain');
  if (from === undefined) {
    if (domain !== undefined) throw new Error('context staffEmailDomain needs staffEmailFrom');
    return undefined;
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from))
    throw new Error(`context staffEmailFrom: an e-mail address ('${from}')`);
  if (domain !== undefined && !from.toLowerCase().endsWith(`@${domain.toLowerCase()}`))
    throw new Error(`context staffEmailDomain: the domain of staffEmailFrom ('${domain}')`);
  return { from, ...(domain && { verifiedDomain: domain }) };
}
/** A number from context; the constructs check the range and name the setting when it is wrong. */
const num = (key: string, fallback: number): number => {
  const raw = ctx(key);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`context ${key}: a number ('${raw}')`);
  return value;
};

new CoproduceStack(app, `coproduce-${stage}`, {
  stackName: `coproduce-${stage}`,
  description: `coproduce (${stage}): two-sided workflows for participatory public services`,
  services: loadServices(join(__dirname, '../workflows/services')),
  stage,
  protect,
  retentionDays,
  logRetention: logRetentionFor(retentionDays),
  workflowLogLevel: logLevel === 'ALL' ? LogLevel.ALL : LogLevel.ERROR,
  smsProvider,
  smsOriginationIdentity: ctx('smsOriginationIdentity'),
  twilio: twilioSettings(),
  alarmEmail,
  publicUrl: ctx('publicUrl'),
  consoleCallbackUrls: ctx('consoleCallbackUrls')?.split(','),
  staffEmail: staffEmail(),
  rounds: {
    maxConcurrency: num('roundMaxConcurrency', 10),
    toleratedFailurePercentage: num('roundToleratedFailurePercentage', 5),
    batchSize: num('roundBatchSize', 50),
    fileDays: num('roundFileDays', 3),
  },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** CloudWatch accepts fixed retention periods: the longest one within the data retention. */
function logRetentionFor(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter(
    (v): v is RetentionDays => typeof v === 'number' && v > 0,
  );
  return allowed.filter((v) => v <= days).sort((a, b) => b - a)[0] ?? RetentionDays.ONE_DAY;
}
