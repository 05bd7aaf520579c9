import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SMS_SEND_FAILED } from '../../functions/shared/metric-names';
import type { SmsProvider } from '../function-manifest';

export interface TwilioSettings {
  /** `AC` + 32 hex characters (context `twilioAccountSid`). */
  readonly accountSid: string;
  /** The sending number (E.164) or a Messaging Service SID `MG…` (context `twilioFrom`). */
  readonly from: string;
  /** The Messages API base URL; the local runtime rewrites it to its own emulator. */
  readonly apiUrl?: string;
}

export interface SmsProps {
  readonly provider: SmsProvider;
  /**
   * aws: the phone number or pool to send from (context `smsOriginationIdentity`): its ARN, or the id
   * of a phone number (`phone-...`) or pool (`pool-...`) in this account and region.
   */
  readonly originationIdentity?: string;
  /** Required with provider twilio. */
  readonly twilio?: TwilioSettings;
}

const IDENTITY_KINDS = ['phone-number', 'pool', 'sender-id'] as const;

/**
 * Outbound SMS through one provider: AWS End User Messaging SMS (pinpoint-sms-voice-v2
 * SendTextMessage) or Twilio's Messages API. Says what a sending function gets: its environment
 * and, for aws, the one IAM statement.
 */
export class Sms extends Construct {
  readonly provider: SmsProvider;
  readonly originationIdentity?: string;
  readonly twilio?: Required<TwilioSettings>;
  /** aws: the resources SendTextMessage is allowed on. */
  readonly resources: string[];
  /** False when no origination identity is configured and the grant covers every identity of the account. */
  readonly scopedToIdentity: boolean;

  constructor(scope: Construct, id: string, props: SmsProps) {
    super(scope, id);
    this.provider = props.provider;
    if (props.provider === 'twilio') {
      if (!props.twilio) throw new Error('smsProvider twilio needs twilioAccountSid and twilioFrom');
      this.twilio = { apiUrl: 'https://api.twilio.com', ...props.twilio };
    }
    const identity = props.originationIdentity?.trim() || undefined;
    this.originationIdentity = identity;
    const arn = (resource: string, name: string) =>
      Stack.of(this).formatArn({ service: 'sms-voice', resource, resourceName: name });
    // The identity's opt-out list takes part in every send, so it is allowed in both cases.
    const optOutLists = arn('opt-out-list', '*');
    const own = identity?.startsWith('arn:')
      ? identity
      : identity?.startsWith('phone-')
        ? arn('phone-number', identity)
        : identity?.startsWith('pool-')
          ? arn('pool', identity)
          : undefined;
    this.scopedToIdentity = own !== undefined;
    this.resources = own ? [own, optOutLists] : [...IDENTITY_KINDS.map((k) => arn(k, '*')), optOutLists];
  }

  /** The environment of a function that sends SMS; SMS_PROVIDER when it chooses the provider at load. */
  environment(options: { tellProvider: boolean }): Record<string, string> {
    const common: Record<string, string> = {
      ...(options.tellProvider ? { SMS_PROVIDER: this.provider } : {}),
      // The dimension of SmsSendFailed that keeps each stage's alarm to its own sends.
      [SMS_SEND_FAILED.stackVariable]: Stack.of(this).stackName,
    };
    if (this.twilio) {
      return {
        ...common,
        TWILIO_ACCOUNT_SID: this.twilio.accountSid,
        TWILIO_FROM: this.twilio.from,
        TWILIO_API_URL: this.twilio.apiUrl,
      };
    }
    return this.originationIdentity
      ? { ...common, SMS_ORIGINATION_IDENTITY: this.originationIdentity }
      : common;
  }

  /** aws: SendTextMessage from the origination identity, and nothing else; twilio: no AWS action. */
  sendStatements(): PolicyStatement[] {
    if (this.provider !== 'aws') return [];
    return [new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: this.resources })];
  }

  /** cdk-nag's renderings of the wildcard ARNs of sendStatements, with the reason. */
  acknowledgements(): { id: string; reason: string }[] {
    if (this.provider !== 'aws') return [];
    const reason = this.scopedToIdentity
      ? 'Opt-out lists are named per account; the sending identity itself is a single ARN.'
      : "No smsOriginationIdentity in context: End User Messaging picks one of the account's identities, so sending is allowed from those in this account and region only. Set the context value to narrow it to one ARN.";
    const kinds = this.scopedToIdentity ? ['opt-out-list'] : [...IDENTITY_KINDS, 'opt-out-list'];
    return kinds.map((kind) => ({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${kind}/*]`,
      reason,
    }));
  }
}
