import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Notifier } from '../domain/ports';

// Outbound SMS through AWS End User Messaging SMS. TRANSACTIONAL: these texts are about the
// citizen's own case, never marketing, which also keeps them deliverable in quiet hours.

export class SmsNotifier implements Notifier {
  constructor(
    private readonly client: () => PinpointSMSVoiceV2Client,
    /** A phone number, sender id or pool; without one AWS picks from the account's identities. */
    private readonly originationIdentity?: string,
  ) {}

  async sendSms(to: string, text: string): Promise<void> {
    await this.client().send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: to,
        MessageBody: text,
        MessageType: 'TRANSACTIONAL',
        ...(this.originationIdentity && { OriginationIdentity: this.originationIdentity }),
      }),
    );
  }
}
