/** The plain view of a login: its flow events as lines for stderr. */
import { IMPLICIT_WARNING } from '../core/login/defaults.js';
import type { FlowEvent } from '../core/oauth/types.js';

export interface NarrateContext {
  paste: boolean;
  /** The implicit flow: warned about once, with the URL. */
  implicit?: boolean;
  env: NodeJS.ProcessEnv;
  isSsh: boolean;
  portForwardHint: (port: number, env: NodeJS.ProcessEnv) => string;
}

/**
 * The plain view of the flow events: lines for stderr. Events carry no secret in their text (the token
 * event is not narrated), so nothing here can leak one.
 */
export function createNarrator(c: NarrateContext): (event: FlowEvent) => string[] {
  let port: number | undefined;
  return (event) => {
    switch (event.type) {
      case 'listening':
        port = event.port;
        return [`Listening for the redirect on ${event.addresses.map((a) => `http://${a}`).join(' and ')}.`];
      case 'authorize-url':
        return [
          ...(c.implicit ? [`Warning: ${IMPLICIT_WARNING}`] : []),
          c.paste
            ? 'Open this URL in a browser, press Allow, then paste here the full address the browser ends on (it may look like a broken page):'
            : 'Open this URL in a browser to log in:',
          event.url,
        ];
      case 'browser': {
        if (event.opened) return ['Opened it in your browser.'];
        const out = [`Not opening a browser: ${event.reason ?? 'not possible here'}.`];
        if (c.isSsh && port !== undefined) {
          out.push(
            `To use the browser on your own computer, forward the port from there: ${c.portForwardHint(port, c.env)}`,
            'Or run `zchat-auth login --paste` and paste the address the browser ends on.',
          );
        }
        return out;
      }
      case 'check':
        return [event.check.ok ? `Checked: ${event.check.sentence}` : `! ${event.check.sentence}`];
      case 'port-busy':
        return [`! ${event.error.message}`];
      case 'request-ignored': {
        const r = event.request;
        return [
          `Ignored a request: ${r.method} ${r.path} (${r.reason ?? `answered ${r.status}`}); still waiting.`,
        ];
      }
      case 'callback':
        return [
          event.result === 'code'
            ? 'Received the authorization code.'
            : event.result === 'token'
              ? 'Received the access token.'
              : 'Received an error from Zendesk.',
        ];
      case 'exchanging':
        return [`Requesting the token (${event.grant} grant)...`];
      case 'stored':
        return [`Stored the token in profile "${event.profile}".`];
      default:
        // request-accepted and token say nothing new; failed, timed-out and cancelled end in the
        // sentence the command prints from the rejected `done`.
        return [];
    }
  };
}
