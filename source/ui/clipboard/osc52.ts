/**
 * OSC 52 ("set the terminal's clipboard"): the one copy that works over SSH, because the terminal on the
 * user's laptop does the copying. Multiplexers swallow unknown escapes, so the sequence is wrapped in
 * their pass-through DCS when we run inside one.
 */

const ESC = '\x1b';
const BEL = '\x07';
/** String terminator (ESC \). */
const ST = `${ESC}\\`;
/** GNU screen refuses DCS strings longer than about 768 bytes, so the payload goes in small pieces. */
export const SCREEN_CHUNK = 76;

export type Multiplexer = 'tmux' | 'screen' | 'none';

export function detectMultiplexer(env: NodeJS.ProcessEnv): Multiplexer {
  if (env.TMUX) return 'tmux';
  if (env.TERM?.startsWith('screen')) return 'screen';
  return 'none';
}

/** The bare sequence: ESC ] 52 ; c ; <base64> BEL. */
export function osc52(text: string): string {
  return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}

/** The bytes to write to the terminal for `text`, wrapped for tmux or screen as `env` says. */
export function osc52Sequence(text: string, env: NodeJS.ProcessEnv): string {
  const mux = detectMultiplexer(env);
  if (mux === 'tmux') {
    // tmux pass-through: DCS tmux; <sequence with every ESC doubled> ST.
    return `${ESC}Ptmux;${osc52(text)
      .split(ESC)
      .join(ESC + ESC)}${ST}`;
  }
  if (mux === 'screen') {
    // screen: the OSC is cut into chunks, each in its own DCS ... ST; the terminal joins them.
    const b64 = Buffer.from(text, 'utf8').toString('base64');
    const chunks: string[] = [];
    for (let i = 0; i < b64.length; i += SCREEN_CHUNK) chunks.push(b64.slice(i, i + SCREEN_CHUNK));
    return `${ESC}P${ESC}]52;c;${chunks.join(`${ST}${ESC}P`)}${BEL}${ST}`;
  }
  return osc52(text);
}
