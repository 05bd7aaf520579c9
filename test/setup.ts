import 'aws-sdk-client-mock-vitest/extend';

// Defaults for modules that read their configuration at load; tests override per case.
// PII_KEY and TWILIO_AUTH_TOKEN are only the test values of the secrets the functions read at runtime
// by ARN (test/support/secrets.ts stubs Secrets Manager with them); no function reads them.
process.env.PII_KEY ??= 'test-pii-key-0123456789abcdefghijklmnopqrstuvwxyz';
process.env.PII_KEY_SECRET_ARN ??=
  'arn:aws:secretsmanager:eu-west-1:000000000000:secret:coproduce/test/pii-key-AbCdEf';
process.env.TWILIO_AUTH_TOKEN_SECRET_ARN ??=
  'arn:aws:secretsmanager:eu-west-1:000000000000:secret:coproduce/test/twilio-auth-token-GhIjKl';
process.env.SMS_PROVIDER ??= 'aws';
process.env.METRIC_STACK ??= 'coproduce-test';
process.env.PUBLIC_URL ??= 'https://coproduce.example.nl';
process.env.TABLE_NAME ??= 'coproduce-test';
process.env.TWILIO_AUTH_TOKEN ??= 'test-twilio-token';
process.env.STATE_MACHINE_ARNS ??= JSON.stringify({
  'waste-collection': 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-waste-collection',
  'child-development': 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-child-development',
  'care-plan': 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-care-plan',
});
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_LOG_LEVEL ??= 'CRITICAL';
