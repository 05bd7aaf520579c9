// Placeholder (deploy stream, issue 9): the functions stream writes this handler; the lead replaces this
// file at merge. It exists so that the stack can build the function its manifest entry declares
// (lib/function-manifest.ts). It does nothing and says so.

export const handler = async (): Promise<never> => {
  throw new Error('sms-inbound-topic: placeholder handler, not implemented in this branch');
};
