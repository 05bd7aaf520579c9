/**
 * `npm start -- [-c key=value]... | --assembly DIR`: CDK context for the synth, as `cdk synth -c`
 * takes it, or a cloud assembly to run as it is (no synth). With smsProvider=twilio the Twilio
 * settings get the local defaults when they are not given.
 */
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_FROM } from './twilio';

export interface StartArgs {
  context: Record<string, string>;
  assembly?: string;
}

export const START_USAGE = 'usage: npm start -- [-c key=value]... | npm start -- --assembly DIR';

export function parseStartArgs(argv: string[]): StartArgs {
  const context: Record<string, string> = {};
  let assembly: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${START_USAGE}`);
      return v;
    };
    if (flag === '-c' || flag === '--context') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`context must be key=value ('${pair}')\n${START_USAGE}`);
      context[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (flag === '--assembly') assembly = value();
    else throw new Error(`unknown argument '${arg}'\n${START_USAGE}`);
  }
  if (assembly !== undefined && Object.keys(context).length > 0)
    throw new Error(`--assembly runs an assembly as it is: it takes no -c context\n${START_USAGE}`);
  if (context.smsProvider === 'twilio') {
    context.twilioAccountSid ??= LOCAL_TWILIO_ACCOUNT_SID;
    context.twilioFrom ??= LOCAL_TWILIO_FROM;
  }
  return assembly === undefined ? { context } : { context, assembly };
}
