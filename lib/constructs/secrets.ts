import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretId } from '../function-manifest';

export interface SecretsProps {
  /** The stage in the secrets' names: `coproduce/<stage>/...`. */
  readonly stage: string;
  readonly protect: boolean;
  /** The Twilio auth token exists only with smsProvider=twilio. */
  readonly twilio: boolean;
}

/** The environment variable that carries each secret's ARN (never its value). */
export const SECRET_ENV: Record<SecretId, string> = {
  piiKey: 'PII_KEY_SECRET_ARN',
  twilioAuthToken: 'TWILIO_AUTH_TOKEN_SECRET_ARN',
};

/**
 * The secrets, under documented names. Functions read them at runtime (functions/shared/secrets.ts,
 * cached); their environment holds only the ARN, so lambda:GetFunctionConfiguration shows no secret
 * and a rotated Twilio token is picked up without a deploy.
 *
 * Removal: CloudFormation deletes an AWS::SecretsManager::Secret without a recovery window
 * (ForceDeleteWithoutRecovery), so a torn-down dev stage frees its names; Secrets Manager finishes the
 * deletion in the background, so a deploy of the same stage right after may still find the name taken
 * for a moment (README, Deploy to AWS: tearing a dev stage down). Production retains both secrets.
 */
export class Secrets extends Construct {
  /** `coproduce/<stage>/pii-key`: keys the PII hashes and encryption (functions/domain/pii.ts); generated. */
  readonly piiKey: Secret;
  /** `coproduce/<stage>/twilio-auth-token`: the operator puts the Twilio auth token in after the first deploy. */
  readonly twilioAuthToken?: Secret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const removalPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.piiKey = new Secret(this, 'PiiKey', {
      secretName: `coproduce/${props.stage}/pii-key`,
      description:
        'coproduce: key for keyed hashes and encryption of personal data (64 characters, generated)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.piiKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the PII key would make every stored keyed hash and encrypted value unreadable; it needs a re-encryption migration, not automatic rotation.',
    });
    if (props.twilio) {
      this.twilioAuthToken = new Secret(this, 'TwilioAuthToken', {
        secretName: `coproduce/${props.stage}/twilio-auth-token`,
        description:
          'coproduce: Twilio auth token (Messages API and X-Twilio-Signature); put the real value in after the first deploy',
        // A random placeholder until the operator puts the token in: every webhook is refused until then.
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
        removalPolicy,
      });
      Validations.of(this.twilioAuthToken).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The Twilio auth token is issued and rotated in the Twilio console; the operator puts the new value in and the functions pick it up within their 5-minute cache.',
      });
    }
  }

  secret(id: SecretId): Secret {
    const secret = id === 'piiKey' ? this.piiKey : this.twilioAuthToken;
    if (!secret) throw new Error(`secret ${id} exists only with smsProvider=twilio`);
    return secret;
  }
}
