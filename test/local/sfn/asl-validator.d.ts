// asl-validator ships no type declarations; this is the part of its API the tests use.
declare module 'asl-validator' {
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: unknown[]; errorsText: (separator?: string) => string };
  export = aslValidator;
}
