/** Every key of every screen, in one place: the help overlay and the README table both read this. */

export interface KeyHelp {
  keys: string;
  action: string;
}

export const dashboardKeys: KeyHelp[] = [
  { keys: '↑ ↓  j k', action: 'move in the focused list' },
  { keys: 'tab', action: 'switch pane (tokens ⇄ clients; and details when narrow)' },
  { keys: 'enter', action: 'details of the selection, full size (enter or esc goes back)' },
  { keys: 't', action: 'test the token: GET /api/v2/chat/chats' },
  { keys: 'r', action: 'refresh the token (refresh_token grant; stores the new pair)' },
  { keys: 'n', action: 'new login (the wizard, prefilled from the selection)' },
  { keys: 'c', action: 'make the selected client confidential (asks first)' },
  { keys: 'x', action: 'revoke the selected token on the server (asks first)' },
  { keys: 'd', action: 'delete the selected profile from this machine (asks first)' },
  { keys: 'y', action: 'copy the token (OSC 52, and the local clipboard when not on SSH)' },
  { keys: 'v', action: 'reveal or hide the token and the secrets in curl' },
  { keys: 'e', action: 'copy the last request as a curl command' },
  { keys: '/', action: 'filter the focused list (enter keeps it, esc clears it)' },
  { keys: '?', action: 'this help' },
  { keys: 'q', action: 'quit (exit 0); Ctrl+C quits anywhere (exit 130)' },
];

export const confirmKeys: KeyHelp[] = [
  { keys: 'y', action: 'confirm' },
  { keys: 'n  esc', action: 'cancel' },
];

export const wizardKeys: KeyHelp[] = [
  { keys: 'enter', action: 'accept the field and go on (on the summary: start the login)' },
  { keys: 'esc', action: 'back one step (on the first step: leave the wizard)' },
  { keys: '↑ ↓', action: 'choose (flow, scopes, summary rows)' },
  { keys: 'space', action: 'tick or untick a scope' },
];

export const waitingKeys: KeyHelp[] = [
  { keys: 'o', action: 'open the browser again' },
  { keys: 'y', action: 'copy the authorize URL' },
  { keys: 'p', action: 'paste the redirected URL (or the bare code) instead: the SSH path' },
  { keys: 'a', action: 'sandbox only: approve in the emulator' },
  { keys: 'esc', action: 'cancel the login' },
  { keys: 'enter', action: 'after success: on to the dashboard' },
  { keys: 'q', action: 'after it ends: quit' },
];
