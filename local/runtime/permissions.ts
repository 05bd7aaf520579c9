/**
 * Lambda's resource-based policy from the template's AWS::Lambda::Permission resources: SNS and
 * EventBridge may invoke a function only when a permission lets their service principal do so (from
 * that topic or rule, when SourceArn is given). Without one, AWS does not deliver; neither do we.
 */
import { functionNameOf } from './names';
import { type ResolveContext, resolve } from './resolve';
import { resourcesOfType } from './template';

interface Permission {
  functionName: string;
  principal: string;
  sourceArn?: string;
}

export class InvokePermissions {
  private constructor(private readonly permissions: Permission[]) {}

  static fromTemplate(ctx: ResolveContext): InvokePermissions {
    const found: Permission[] = [];
    for (const [, r] of resourcesOfType(ctx.template, 'AWS::Lambda::Permission')) {
      const p = resolve(ctx, r.Properties ?? {}) as Record<string, unknown>;
      if (p.Action !== 'lambda:InvokeFunction' && p.Action !== 'lambda:*') continue;
      found.push({
        functionName: functionNameOf(String(p.FunctionName)),
        principal: String(p.Principal),
        ...(typeof p.SourceArn === 'string' ? { sourceArn: p.SourceArn } : {}),
      });
    }
    return new InvokePermissions(found);
  }

  /** Whether `principal` (e.g. sns.amazonaws.com) may invoke the function on behalf of `sourceArn`. */
  allows(functionNameOrArn: string, principal: string, sourceArn: string): boolean {
    const name = functionNameOf(functionNameOrArn);
    return this.permissions.some(
      (p) =>
        p.functionName === name &&
        (p.principal === principal || p.principal === '*') &&
        (p.sourceArn === undefined || p.sourceArn === sourceArn),
    );
  }
}
