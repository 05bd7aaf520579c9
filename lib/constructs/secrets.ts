import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface SecretsProps {
  readonly protect: boolean;
}

/**
 * The two secrets the functions need. They reach the functions as environment variables through
 * CloudFormation dynamic references (`{{resolve:secretsmanager:...}}`), resolved at deploy time,
 * so the functions need no runtime secretsmanager:GetSecretValue grant (and pay no cold-start call).
 * After changing a secret value, redeploy the stack to roll it out.
 */
export class Secrets extends Construct {
  /** Keys the PII hashes and encryption (functions/domain/pii.ts); generated, never typed by a person. */
  readonly piiKey: Secret;
  /** Twilio's auth token for X-Twilio-Signature; the operator puts the real value in after the first deploy. */
  readonly twilioAuthToken: Secret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const removalPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.piiKey = new Secret(this, 'PiiKey', {
      description: 'coproduce: key for keyed hashes and encryption of personal data (>= 32 characters)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.twilioAuthToken = new Secret(this, 'TwilioAuthToken', {
      description: 'coproduce: Twilio auth token used to verify inbound SMS webhooks (set by the operator)',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.piiKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the PII key would make every stored keyed hash and encrypted value unreadable; it needs a re-encryption migration, not automatic rotation.',
    });
    Validations.of(this.twilioAuthToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Twilio auth token is issued and rotated in the Twilio console; the operator copies the new value here and redeploys.',
    });
  }

  /** The environment variables, as dynamic references resolved by CloudFormation at deploy time. */
  get piiKeyEnv(): string {
    return this.piiKey.secretValue.unsafeUnwrap();
  }

  get twilioAuthTokenEnv(): string {
    return this.twilioAuthToken.secretValue.unsafeUnwrap();
  }
}
