/** The values a login is made of, and which of them each flow needs (pure). */
import type { FlowKind, Scope } from '../oauth/types.js';

export type FieldName =
  | 'subdomain'
  | 'flow'
  | 'clientId'
  | 'clientSecret'
  | 'username'
  | 'password'
  | 'scopes'
  | 'redirectUri'
  | 'profile';

/** One login's values as a person edits them (strings, so a half-typed one can be shown). */
export interface LoginValues {
  subdomain: string;
  flow: FlowKind;
  clientId: string;
  /** Given now (flag, environment, stdin, typed), or empty: a stored secret for the same client is kept. */
  clientSecret: string;
  username: string;
  password: string;
  scopes: Scope[];
  redirectUri: string;
  /** Empty: the subdomain names the profile. */
  profile: string;
}

/** The fields a flow uses, in the order the wizard asks them. */
export function fieldsFor(flow: FlowKind): FieldName[] {
  switch (flow) {
    case 'code':
      return ['subdomain', 'flow', 'clientId', 'clientSecret', 'scopes', 'redirectUri', 'profile'];
    case 'implicit':
      return ['subdomain', 'flow', 'clientId', 'scopes', 'redirectUri', 'profile'];
    case 'client-credentials':
      return ['subdomain', 'flow', 'clientId', 'clientSecret', 'scopes', 'profile'];
    case 'password':
      return ['subdomain', 'flow', 'clientId', 'clientSecret', 'username', 'password', 'scopes', 'profile'];
  }
}

/** The fields a flow cannot do without (the others have defaults), in the order they are asked. */
export function requiredFor(flow: FlowKind): FieldName[] {
  const required: FieldName[] = ['subdomain', 'clientId'];
  // The token endpoint takes client_id and client_secret together, the code exchange included.
  if (flow !== 'implicit') required.push('clientSecret');
  if (flow === 'password') required.push('username', 'password');
  return required;
}
