import { PAYLOAD_LIMIT, textOverLimit } from '../language/payload-size';

/** The account of every local ARN. */
export const ACCOUNT = '000000000000';

/**
 * Step Functions API errors. `code` is the exception name the AWS SDK raises (TaskTimedOut,
 * ExecutionDoesNotExist...); the HTTP server turns it into the JSON 1.0 error shape.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const NAME_BAD = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControl = (s: string) =>
  [...s].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

/** State machine and execution names: 1-80 characters, none of the characters AWS forbids. */
export function checkName(name: unknown, what = 'name'): string {
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    NAME_BAD.test(name) ||
    isControl(name)
  ) {
    throw new SfnApiError('InvalidName', `Invalid Name: '${String(name)}'`);
  }
  void what;
  return name;
}

/**
 * Compiled once: every call that names a state machine or an execution (StartExecution,
 * DescribeExecution...) checks its ARN, and building the expression per call was 2% of the engine's time.
 */
const ARN_FORMS = {
  stateMachine: /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:/,
  execution: /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:/,
} as const;

export function checkArn(arn: unknown, kind: keyof typeof ARN_FORMS): string {
  if (typeof arn !== 'string' || !ARN_FORMS[kind].test(arn)) {
    throw new SfnApiError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`,
    );
  }
  return arn;
}

/**
 * StartExecution `input` and SendTaskSuccess `output`: "Length constraints apply to the payload
 * size, and are expressed as bytes in UTF-8 encoding", at most 262,144 (Step Functions API
 * reference); a longer one is refused by the API's field validation before anything runs.
 */
export function checkPayloadText(text: string, field: 'input' | 'output'): void {
  if (textOverLimit(text)) {
    throw new SfnApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT}`,
    );
  }
}
