/** The login's defaults, defined once: the CLI's help, the wizard's prefill and the plan all read these. */
import { FLOWS as FLOW_LIST, type FlowKind, SCOPES, type Scope } from '../oauth/types.js';

/** The tutorial's redirect URI. */
export const DEFAULT_REDIRECT_URI = 'http://localhost:8080';
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
export const DEFAULT_SCOPES: readonly Scope[] = ['read', 'write'];
export const DEFAULT_FLOW: FlowKind = 'code';
/** Every scope, in the order they are sent: one order, so both views build the same authorize URL. */
export const ALL_SCOPES: readonly Scope[] = SCOPES;
export const FLOWS: readonly FlowKind[] = FLOW_LIST;

/** Said wherever an implicit login is chosen or runs (wizard, panel, plain output). */
export const IMPLICIT_WARNING =
  "The implicit flow leaves the access token in the browser's history (it is in the redirected address): prefer the code flow.";

export function isBrowserFlow(flow: FlowKind): boolean {
  return flow === 'code' || flow === 'implicit';
}
