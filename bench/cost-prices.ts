/**
 * List prices in eu-west-1 (Europe, Ireland), on-demand, without free tier, as `bench:cost` uses
 * them. Check them against the pages before quoting a figure: AWS changes prices.
 */
export const PRICES = {
  /**
   * Step Functions Standard: $0.025 per 1,000 state transitions in Europe (Ireland); retries count
   * as transitions. https://aws.amazon.com/step-functions/pricing/
   */
  transition: 0.025 / 1000,
  /**
   * Lambda on Arm (arm64, the architecture of every function here): $0.20 per million requests and
   * $0.0000133334 per GB-second (first 7.5 billion GB-s a month); eu-west-1 is priced as us-east-1.
   * https://aws.amazon.com/lambda/pricing/
   */
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334,
  /**
   * DynamoDB on-demand, Standard table class, Europe (Ireland): $0.7068 per million write request
   * units and $0.1415 per million read request units (half the $1.4135 / $0.283 of before the
   * on-demand price cut of 1 November 2024). https://aws.amazon.com/dynamodb/pricing/on-demand/
   */
  writeUnit: 0.7068 / 1_000_000,
  readUnit: 0.1415 / 1_000_000,
} as const;
