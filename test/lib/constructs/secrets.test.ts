import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Secrets } from '../../../lib/constructs/secrets';
import { cdkContext } from '../support';

function build(props: { protect: boolean; twilio: boolean }) {
  const stack = new Stack(new App({ context: cdkContext() }), 's');
  const secrets = new Secrets(stack, 'Secrets', { stage: 'acc', ...props });
  return { secrets, template: Template.fromStack(stack) };
}

describe('Secrets', () => {
  it('has documented names: coproduce/<stage>/pii-key (generated, 64 characters) and the Twilio token only with Twilio', () => {
    const aws = build({ protect: false, twilio: false });
    expect(
      Object.values(aws.template.findResources('AWS::SecretsManager::Secret')).map((r) => r.Properties),
    ).toEqual([
      expect.objectContaining({
        Name: 'coproduce/acc/pii-key',
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      }),
    ]);
    expect(() => aws.secrets.secret('twilioAuthToken')).toThrow(/only with smsProvider=twilio/);
    const twilio = build({ protect: false, twilio: true });
    const names = Object.values(twilio.template.findResources('AWS::SecretsManager::Secret')).map(
      (r) => r.Properties.Name,
    );
    expect(names.sort()).toEqual(['coproduce/acc/pii-key', 'coproduce/acc/twilio-auth-token']);
  });

  it('is deleted with a dev stage (CloudFormation deletes secrets without a recovery window) and retained in production', () => {
    const policies = (protect: boolean) =>
      Object.values(
        build({ protect, twilio: true }).template.findResources('AWS::SecretsManager::Secret'),
      ).map((r) => r.DeletionPolicy);
    expect(policies(false)).toEqual(['Delete', 'Delete']);
    expect(policies(true)).toEqual(['Retain', 'Retain']);
  });
});
