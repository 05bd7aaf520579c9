import type { Notifier } from '../domain/ports';
import { smsClient } from '../shared/clients';
import { optionalEnv, requireEnv } from '../shared/env';
import { secretReader, TWILIO_TOKEN_MAX_AGE } from '../shared/secrets';
import { SmsNotifier } from './sms-notifier';
import { TwilioNotifier, twilioSettings } from './twilio-notifier';

// The notifier of the configured SMS provider: one provider end to end (SMS_PROVIDER aws | twilio).
// The Twilio variables are required only when Twilio is the provider.

export type SmsProvider = 'aws' | 'twilio';

export function smsProviderOf(value: string): SmsProvider {
  if (value === 'aws' || value === 'twilio') return value;
  throw new Error('Environment variable SMS_PROVIDER must be aws or twilio');
}

function twilioNotifier(): Notifier {
  const settings = twilioSettings(
    {
      apiUrl: requireEnv('TWILIO_API_URL'),
      accountSid: requireEnv('TWILIO_ACCOUNT_SID'),
      from: requireEnv('TWILIO_FROM'),
    },
    secretReader(requireEnv('TWILIO_AUTH_TOKEN_SECRET_ARN'), TWILIO_TOKEN_MAX_AGE),
  );
  return new TwilioNotifier(settings);
}

export const smsProvider = smsProviderOf(requireEnv('SMS_PROVIDER'));

export const notifier: Notifier =
  smsProvider === 'twilio'
    ? twilioNotifier()
    : new SmsNotifier(smsClient, optionalEnv('SMS_ORIGINATION_IDENTITY'));
