import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolDomain,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface StaffAuthProps {
  readonly protect: boolean;
  /** Where the console receives the authorization code. */
  readonly callbackUrls: string[];
  /**
   * The allowed sign-out URLs: the only targets of `logout_uri` when the console sends staff through
   * the managed login's /logout (which ends the user pool's session as well as the console's).
   */
  readonly logoutUrls: string[];
  /** Prefix of the managed login domain; context `authDomainPrefix`, else `<stack name>-<account>`. */
  readonly domainPrefix?: string;
  /**
   * Staff e-mail (invitations, password resets) through SES from this address (context `staffEmailFrom`),
   * of an identity verified in the stack's Region: the address itself, or `verifiedDomain` (context
   * `staffEmailDomain`). Without it Cognito's own sender, with its small daily quota. Set here, not in the
   * console: CloudFormation would put the pool's e-mail back to what the template says on the next deploy.
   */
  readonly email?: { from: string; verifiedDomain?: string };
}

/**
 * Provider staff accounts. Administrators create them (no self sign-up) with the organisation
 * and its kind fixed at creation: `custom:org` and `custom:orgKind` scope every provider request.
 */
export class StaffAuth extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  /** Base URL of the managed login (…/oauth2/authorize, …/oauth2/token). */
  readonly domainUrl: string;
  /** The `iss` of the pool's tokens; its JWKS is at `${issuer}/.well-known/jwks.json`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: StaffAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      customAttributes: {
        org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        orgKind: new StringAttribute({ minLen: 1, maxLen: 32, mutable: false }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      ...(props.email && {
        email: UserPoolEmail.withSES({
          fromEmail: props.email.from,
          // The stack is built for any Region (bin/app.ts sets no env): SES of the Region it is deployed in.
          sesRegion: Aws.REGION,
          ...(props.email.verifiedDomain && { sesVerifiedDomain: props.email.verifiedDomain }),
        }),
      }),
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.protect,
      removalPolicy: props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A public client (browser console): authorization code with PKCE, so no client secret.
    this.consoleClient = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    // Deterministic, so the console's URLs survive redeploys; the account keeps it globally unique.
    const prefix =
      props.domainPrefix ??
      (this.node.tryGetContext('authDomainPrefix') as string | undefined) ??
      Fn.join('-', [Stack.of(this).stackName, Aws.ACCOUNT_ID]);
    const domain = new UserPoolDomain(this, 'Domain', {
      userPool: this.userPool,
      cognitoDomain: { domainPrefix: prefix },
    });
    this.domainUrl = domain.baseUrl();
    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
