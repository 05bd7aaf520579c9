import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmsNotifier } from '../../../functions/adapters/sms-notifier';
import { TwilioNotifier } from '../../../functions/adapters/twilio-notifier';
import { captureMetrics, smsSendFailedRecord } from '../../support/metrics';

const sms = mockClient(PinpointSMSVoiceV2Client);
const client = () => new PinpointSMSVoiceV2Client({});

afterEach(() => {
  sms.reset();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('SmsNotifier', () => {
  it('sends a transactional text from the configured identity', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-1' });
    await new SmsNotifier(client, 'pool-coproduce').sendSms('+31612345678', 'Hallo');
    expect(sms).toHaveReceivedCommandExactlyOnceWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+31612345678',
      MessageBody: 'Hallo',
      MessageType: 'TRANSACTIONAL',
      OriginationIdentity: 'pool-coproduce',
    });
  });

  it('leaves the identity to AWS when none is configured', async () => {
    sms.on(SendTextMessageCommand).resolves({});
    await new SmsNotifier(client).sendSms('+31612345678', 'Hallo');
    const input = sms.commandCalls(SendTextMessageCommand)[0]?.args[0].input;
    expect(input).toEqual({
      DestinationPhoneNumber: '+31612345678',
      MessageBody: 'Hallo',
      MessageType: 'TRANSACTIONAL',
    });
  });

  it('lets a refusal surface to the caller, counting SmsSendFailed', async () => {
    sms.on(SendTextMessageCommand).rejects(new Error('ThrottlingException'));
    const metrics = captureMetrics();
    try {
      await expect(new SmsNotifier(client).sendSms('+31612345678', 'x')).rejects.toThrow(
        'ThrottlingException',
      );
      expect(metrics.records()).toEqual([smsSendFailedRecord]);
    } finally {
      metrics.restore();
    }
  });

  it('counts nothing for a message that was sent', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-1' });
    const metrics = captureMetrics();
    try {
      await new SmsNotifier(client).sendSms('+31612345678', 'x');
      expect(metrics.records()).toEqual([]);
    } finally {
      metrics.restore();
    }
  });

  it('the module instance reads SMS_ORIGINATION_IDENTITY at load', async () => {
    vi.stubEnv('SMS_PROVIDER', 'aws');
    vi.stubEnv('SMS_ORIGINATION_IDENTITY', '+3197010000000');
    sms.on(SendTextMessageCommand).resolves({});
    const { notifier } = await import('../../../functions/adapters/notifier');
    await notifier.sendSms('+31612345678', 'Hallo');
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, { OriginationIdentity: '+3197010000000' });
  });
});

describe('the notifier of the configured provider', () => {
  const twilio = {
    SMS_PROVIDER: 'twilio',
    TWILIO_API_URL: 'https://api.twilio.com',
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_FROM: '+3197010000000',
  };

  it('is Twilio when SMS_PROVIDER says so, with its variables checked at load', async () => {
    for (const [name, value] of Object.entries(twilio)) vi.stubEnv(name, value);
    // A fresh module graph per test (resetModules): the class is told by its name.
    const { notifier } = await import('../../../functions/adapters/notifier');
    expect(notifier.constructor.name).toBe(TwilioNotifier.name);
  });

  it.each(['TWILIO_API_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_FROM', 'TWILIO_AUTH_TOKEN_SECRET_ARN'])(
    'refuses to load for Twilio without %s',
    async (missing) => {
      for (const [name, value] of Object.entries(twilio)) vi.stubEnv(name, value);
      vi.stubEnv(missing, '');
      await expect(import('../../../functions/adapters/notifier')).rejects.toThrow(missing);
    },
  );

  it('is End User Messaging for aws, and refuses any other provider', async () => {
    vi.stubEnv('SMS_PROVIDER', 'aws');
    const { notifier } = await import('../../../functions/adapters/notifier');
    expect(notifier.constructor.name).toBe(SmsNotifier.name);
    vi.resetModules();
    vi.stubEnv('SMS_PROVIDER', 'sns');
    await expect(import('../../../functions/adapters/notifier')).rejects.toThrow(/SMS_PROVIDER/);
  });
});
