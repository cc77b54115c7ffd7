/** The dashboard's keys, in one place: the help overlay (and the README's table) read this. */

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
  { keys: 's', action: 'make the selected profile the default (zchat-auth switch)' },
  { keys: 'd', action: 'delete the selected profile from this machine (asks first)' },
  { keys: 'y', action: 'copy the token (OSC 52, and the local clipboard when not on SSH)' },
  { keys: 'v', action: 'reveal or hide the token and the secrets in curl' },
  { keys: 'e', action: 'copy the last request as a curl command' },
  { keys: 'u', action: 'use the next profile’s token to fetch the clients and server tokens (via …)' },
  { keys: 'ctrl+r', action: 'reload the profiles and the account lists (also every minute while idle)' },
  { keys: '/', action: 'filter the focused list (enter keeps it, esc clears it)' },
  { keys: '?', action: 'this help' },
  { keys: 'q', action: 'quit (exit 0); Ctrl+C quits anywhere (exit 130)' },
];
