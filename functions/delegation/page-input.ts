import type { DelegateScope } from './model';

// What the citizen page needs to know about delegation beyond the case: who is looking (a delegate),
// and a delegate just added (their link is shown this once).

/** The page is a delegate's: their name and what was handed to them. */
export interface DelegateContext {
  name?: string;
  steps: DelegateScope;
}

/** A delegate the citizen just added: the link to pass on, shown once. */
export interface Created {
  name: string;
  link: string;
}

/** The helper form as it was sent when it failed: what was typed, and which fields to fix. */
export interface DelegateFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}
