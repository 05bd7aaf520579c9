import type { Notifier } from '../domain/ports';
import { smsClient } from '../shared/clients';
import { optionalEnv } from '../shared/env';
import { SmsNotifier } from './sms-notifier';

export const notifier: Notifier = new SmsNotifier(smsClient, optionalEnv('SMS_ORIGINATION_IDENTITY'));
