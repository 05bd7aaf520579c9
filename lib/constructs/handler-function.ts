import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { catalogJson } from '../../workflows/sources';
import type { HandlerName } from '../function-manifest';

export interface HandlerFunctionProps {
  readonly name: HandlerName;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly description?: string;
  readonly timeout?: Duration;
  /** MB; 512 unless a function streams or holds more (round-validate). */
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
}

// Paths are anchored to this file, never to the working directory, so `cdk synth` and the tests
// bundle the same files whichever folder they run from.
const ROOT = join(__dirname, '../..');

/**
 * The service catalog's JSON as a string literal (esbuild's define takes an expression), for
 * workflows/catalog.ts. The same in every bundle, so made once per synth rather than per function.
 */
const CATALOG_LITERAL = JSON.stringify(catalogJson());

/**
 * The project's one Lambda function shape. The local runtime executes these very bundles on
 * Node 20, hence the esbuild target node20 while the cloud runtime is the newest Node.js.
 */
export class HandlerFunction extends NodejsFunction {
  readonly handlerName: HandlerName;
  /** The execution role (always this construct's own). */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.retention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      logGroup,
      description: props.description ?? `coproduce ${props.name}`,
      entry: join(ROOT, 'functions/handlers', `${props.name}.ts`),
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      // Source maps ship with every bundle but are not enabled by default: parsing them at init adds
      // about a third to the cold start. Set NODE_OPTIONS=--enable-source-maps on a function to debug.
      environment: {
        POWERTOOLS_SERVICE_NAME: `coproduce-${props.name}`,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node20',
        format: OutputFormat.CJS,
        mainFields: ['module', 'main'],
        // Bundled SDK: the version is pinned by the lock file, not by the runtime image.
        externalModules: [],
        logLevel: LogLevel.WARNING,
        esbuildArgs: { '--alias:node:stream/web': join(ROOT, 'functions/shared/lazy-stream-web.cjs') },
        // The catalog as JSON, so that its sources stay out of the bundle.
        define: { COPRODUCE_SERVICES: CATALOG_LITERAL },
      },
    });
    this.handlerName = props.name;
    this.executionRole = role;
    // Right after construction the only policy is the X-Ray one added by active tracing: a Policy of
    // its own with @aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy, else the role's default policy.
    const xray = this.node.children.filter((c) => c instanceof Policy);
    for (const target of xray.length > 0 ? xray : [role]) {
      Validations.of(target).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
      });
    }
  }
}
