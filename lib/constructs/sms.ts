import { Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface SmsProps {
  /**
   * The phone number or pool to send from (context `smsOriginationIdentity`): its ARN, or the id
   * of a phone number (`phone-...`) or pool (`pool-...`) in this account and region.
   */
  readonly originationIdentity?: string;
}

const IDENTITY_KINDS = ['phone-number', 'pool', 'sender-id'] as const;

/** Outbound SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage). */
export class Sms extends Construct {
  readonly originationIdentity?: string;
  /** The resources SendTextMessage is allowed on. */
  readonly resources: string[];
  /** False when no origination identity is configured and the grant covers every identity of the account. */
  readonly scopedToIdentity: boolean;

  constructor(scope: Construct, id: string, props: SmsProps) {
    super(scope, id);
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

  /** Allows the function to send text messages from the origination identity, and nothing else. */
  grantSend(fn: LambdaFunction): Policy {
    const policy = new Policy(fn, 'SmsSend', {
      roles: fn.role ? [fn.role] : [],
      statements: [
        new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: this.resources }),
      ],
    });
    const reason = this.scopedToIdentity
      ? 'Opt-out lists are named per account; the sending identity itself is a single ARN.'
      : "No smsOriginationIdentity in context: End User Messaging picks one of the account's identities, so sending is allowed from those in this account and region only. Set the context value to narrow it to one ARN.";
    const kinds = this.scopedToIdentity ? ['opt-out-list'] : [...IDENTITY_KINDS, 'opt-out-list'];
    for (const kind of kinds) {
      // cdk-nag's rendering of the wildcard ARN built with Stack.formatArn.
      const rendered = `arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${kind}/*`;
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
    }
    return policy;
  }
}
