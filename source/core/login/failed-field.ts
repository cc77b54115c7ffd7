/** Which value a failed login points at, so a view can send the person back to that field (pure). */
import type { ZchatError } from '../errors.js';
import type { FlowKind } from '../oauth/types.js';
import { isSecretError } from './explain.js';
import { type FieldName, fieldsFor } from './fields.js';

/**
 * The field whose value the server refused, or undefined when the failure is not one value's fault (a
 * timeout, a network error, a denied consent).
 */
export function failedField(error: ZchatError, flow: FlowKind): FieldName | undefined {
  const fields = fieldsFor(flow);
  const pick = (field: FieldName) => (fields.includes(field) ? field : undefined);
  switch (error.code) {
    case 'invalid_client':
      // The code exchange: the authorize page took the client ID, so the secret is what was refused. The
      // direct grants: only when the client was seen to be confidential (else it may be the client's type).
      return flow === 'code' || isSecretError(error) ? pick('clientSecret') : undefined;
    case 'invalid_grant':
      return flow === 'password' ? pick('password') : undefined;
    case 'invalid_scope':
      return pick('scopes');
    case 'invalid_redirect_uri':
      return pick('redirectUri');
    default:
      return undefined;
  }
}
