/**
 * Loads the interactive screens (Ink, React, the layout engine) for the dashboard and the login panel.
 *
 * Ink's layout engine, yoga-layout, decodes its inline WebAssembly with `fetch()` whenever a global fetch
 * exists. On Node that call loads Node's whole built-in HTTP client (undici) just to read a data: URL, about
 * 25 ms of the dashboard's first frame on a 2-core machine (measured with --cpu-prof). Without a global fetch
 * yoga decodes the very same bytes itself. So fetch is hidden while the module graph evaluates (yoga's
 * top-level await included) and put back, untouched, right after.
 */
type RunUiModule = typeof import('../ui/run-ui.js');

export async function loadUi(): Promise<RunUiModule> {
  const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  const hide = fetchDescriptor?.configurable === true;
  if (hide) Reflect.deleteProperty(globalThis, 'fetch');
  try {
    return await import('../ui/run-ui.js');
  } finally {
    if (hide) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
  }
}
