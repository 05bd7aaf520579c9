import { type DynamoDBDocumentClient, DynamoDBDocumentClientCommand } from '@aws-sdk/lib-dynamodb';

// Every `send` resolves the command's middleware stack anew: it copies the client's stack and the
// command's, sorts some twenty middlewares and builds their chain. The SDK can keep that chain per kind
// of command (its `cacheMiddleware` setting), but the DocumentClient refuses the setting: its commands'
// chain sends the command it was resolved for (`handler(this.clientCommand)`), so a kept chain would send
// the first command's input again. reuseResolvedMiddleware keeps the chain the same way for the
// DocumentClient's commands, and hands each call its own command. The kept chain shares its context
// between the calls of a kind, as the SDK's setting does. Every call of a kind sets the same values in it
// (endpoint, auth scheme, identity), but for the moment the credentials rotate: then a call may sign
// with the credentials another call just resolved, and both are valid.

type Chain = (command: unknown) => Promise<unknown>;

/** What a DocumentClient command's own resolveMiddleware uses (lib-dynamodb's DynamoDBDocumentClientCommand). */
interface DocumentCommand {
  clientCommand: { resolveMiddleware(stack: unknown, configuration: unknown, options: unknown): Chain };
  middlewareStack: unknown;
  addMarshallingMiddleware(configuration: unknown): void;
  resolveMiddleware(
    clientStack: { concat(stack: unknown): unknown },
    configuration: unknown,
    options: unknown,
  ): Chain;
}

/**
 * Lets `client` resolve each kind of command's middleware once (PutCommand, QueryCommand...), for calls
 * without per-call options. The middleware the client has at the first call of a kind is what that kind
 * keeps, so the client's stack must be complete before its first call (clients.ts adds none). The calls
 * still go through the DocumentClient's own `send`, looked up at each call: a test that replaces it
 * (aws-sdk-client-mock) sees every command.
 */
export function reuseResolvedMiddleware(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const chains = new Map<unknown, Chain>();
  const keep = (command: DynamoDBDocumentClientCommand<object, object, object, object, unknown>) => {
    const own = command as unknown as DocumentCommand;
    own.resolveMiddleware = (clientStack, configuration, options) => {
      let chain = chains.get(command.constructor);
      if (!chain) {
        // As the command's own resolveMiddleware does it, once for its kind.
        own.addMarshallingMiddleware(configuration);
        chain = own.clientCommand.resolveMiddleware(
          clientStack.concat(own.middlewareStack),
          configuration,
          options,
        );
        chains.set(command.constructor, chain);
      }
      const kept = chain;
      return () => kept(own.clientCommand);
    };
  };
  client.send = ((command: unknown, ...rest: unknown[]) => {
    if (rest.length === 0 && command instanceof DynamoDBDocumentClientCommand) keep(command);
    return Object.getPrototypeOf(client).send.call(client, command, ...rest);
  }) as DynamoDBDocumentClient['send'];
  return client;
}
