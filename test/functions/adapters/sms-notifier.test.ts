import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmsNotifier } from '../../../functions/adapters/sms-notifier';

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

  it('lets a refusal surface to the caller', async () => {
    sms.on(SendTextMessageCommand).rejects(new Error('ThrottlingException'));
    await expect(new SmsNotifier(client).sendSms('+31612345678', 'x')).rejects.toThrow('ThrottlingException');
  });

  it('the module instance reads SMS_ORIGINATION_IDENTITY at load', async () => {
    vi.stubEnv('SMS_ORIGINATION_IDENTITY', '+3197010000000');
    sms.on(SendTextMessageCommand).resolves({});
    const { notifier } = await import('../../../functions/adapters/notifier');
    await notifier.sendSms('+31612345678', 'Hallo');
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, { OriginationIdentity: '+3197010000000' });
  });
});
