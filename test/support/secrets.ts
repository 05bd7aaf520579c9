import {
  GetSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-secrets-manager';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';

// Secrets Manager as the handlers see it: the secrets test/setup.ts names by ARN, holding the test
// values. Handlers read them at runtime (functions/shared/secrets.ts); only the ARNs are in the env.

export const PII_KEY_SECRET_ARN = process.env.PII_KEY_SECRET_ARN as string;
export const TWILIO_AUTH_TOKEN_SECRET_ARN = process.env.TWILIO_AUTH_TOKEN_SECRET_ARN as string;
/** The values behind those ARNs (test/setup.ts): the key the handlers' vault is keyed with. */
export const TEST_PII_KEY = process.env.PII_KEY as string;
export const TEST_TWILIO_AUTH_TOKEN = process.env.TWILIO_AUTH_TOKEN as string;

type SecretsStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, SecretsManagerClientResolvedConfig>;

/** Stubs GetSecretValue for the test secrets (or the given values, by ARN); returns the stub. */
export function mockSecrets(values: Record<string, string> = {}) {
  const secrets = mockClient(SecretsManagerClient);
  holdSecrets(secrets, values);
  return secrets;
}

/** (Re)defines what the stub answers, e.g. after `secrets.reset()` in a test's beforeEach. */
export function holdSecrets(secrets: SecretsStub, values: Record<string, string> = {}) {
  const all = {
    [PII_KEY_SECRET_ARN]: TEST_PII_KEY,
    [TWILIO_AUTH_TOKEN_SECRET_ARN]: TEST_TWILIO_AUTH_TOKEN,
    ...values,
  };
  for (const [arn, value] of Object.entries(all))
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ ARN: arn, SecretString: value });
}
