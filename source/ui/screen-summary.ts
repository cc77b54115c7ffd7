import type { Services } from '../services.js';
import type { Screen } from './app-state.js';

/** One line for a terminal too small to show the screen: where the user is, and how to leave. */
export function summaryOf(screen: Screen, wizardStep: string, services: Services): string {
  switch (screen.name) {
    case 'dashboard': {
      const profile =
        screen.profile ??
        (() => {
          try {
            return services.store.defaultProfile();
          } catch {
            return undefined;
          }
        })();
      return `Dashboard${profile ? `: ${profile}` : ''} · q quits`;
    }
    case 'wizard':
      return `Login wizard: ${wizardStep} · esc back · Ctrl+C quits`;
    case 'starting':
      return 'Starting the login… Ctrl+C quits';
    case 'waiting': {
      const where = screen.flow.redirectUri.replace(/^https?:\/\//, '');
      return `Waiting for Zendesk on ${where} · esc cancels`;
    }
  }
}
