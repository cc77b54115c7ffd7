import { createContext, useContext } from 'react';

/** Named colours of the screens. With NO_COLOR every one is undefined: emphasis falls back to bold/inverse. */
export interface Theme {
  noColor: boolean;
  accent?: string;
  ok?: string;
  error?: string;
  warn?: string;
  muted?: string;
  border?: string;
  focusBorder?: string;
}

/** NO_COLOR (https://no-color.org): set and not empty means no colour at all. */
export function createTheme(env: NodeJS.ProcessEnv): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { noColor: true };
  return {
    noColor: false,
    accent: 'cyan',
    ok: 'green',
    error: 'red',
    warn: 'yellow',
    muted: 'gray',
    border: 'gray',
    focusBorder: 'cyan',
  };
}

export const ThemeContext = createContext<Theme>(createTheme({}));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
