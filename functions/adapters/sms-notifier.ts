import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Notifier } from '../domain/ports';
import { countSmsSendFailed } from '../shared/metrics';

// Outbound SMS through AWS End User Messaging SMS (SMS_PROVIDER aws). TRANSACTIONAL: these texts are
// about the citizen's own case, never marketing, which also keeps them deliverable in quiet hours.
// The SDK retries throttling and 5xx itself; a send that still fails is counted (SmsSendFailed) and
// thrown, for the caller to record.

export class SmsNotifier implements Notifier {
  constructor(
    private readonly client: () => PinpointSMSVoiceV2Client,
    /** A phone number, sender id or pool; without one AWS picks from the account's identities. */
    private readonly originationIdentity?: string,
  ) {}

  async sendSms(to: string, text: string): Promise<void> {
    try {
      await this.client().send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: to,
          MessageBody: text,
          MessageType: 'TRANSACTIONAL',
          ...(this.originationIdentity && { OriginationIdentity: this.originationIdentity }),
        }),
      );
    } catch (error) {
      await countSmsSendFailed();
      throw error;
    }
  }
}
