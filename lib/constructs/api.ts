import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** `staff`: Cognito JWT required. `public`: anyone (the handler checks a link token or the Twilio signature). */
export type RouteAccess = 'staff' | 'public';

export interface ApiRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: IFunction;
  readonly access: RouteAccess;
}

export interface ApiProps {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly throttle?: { rateLimit: number; burstLimit: number };
}

/** The HTTP API (payload format 2.0) on its `$default` stage, so the endpoint URL has no stage prefix. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  readonly accessLogs: LogGroup;
  /** Base URL without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    // No corsPreflight: the console and the citizen pages are served from this same origin.
    this.httpApi = new HttpApi(this, 'HttpApi', { description: 'coproduce', createDefaultStage: false });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.retention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // routeKey, never the raw path: citizen paths carry the link token, a bearer secret.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
    // The ProviderURL attribute lacks the scheme; API Gateway compares the token's iss with this exactly.
    const issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${props.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('Staff', issuer, {
      jwtAudience: [props.client.userPoolClientId],
    });
    this.url = this.httpApi.apiEndpoint;
  }

  private readonly routes = new Map<string, HttpRoute>();

  addRoute(route: ApiRoute): void {
    const name = `${route.method}${route.path}`.replace(/[^A-Za-z0-9]/g, '');
    const [added] = this.httpApi.addRoutes({
      path: route.path,
      methods: [route.method],
      integration: new HttpLambdaIntegration(`${name}Integration`, route.fn),
      ...(route.access === 'staff' ? { authorizer: this.authorizer } : {}),
    });
    if (added) this.routes.set(`${route.method} ${route.path}`, added);
  }

  /** Records why a public route has no gateway authorizer (cdk-nag AwsSolutions-APIG4). */
  acknowledgePublic(routeKey: string, reason: string): void {
    const route = this.routes.get(routeKey);
    if (!route) throw new Error(`no route ${routeKey}`);
    Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  }
}
