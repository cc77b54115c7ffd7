/** `zchat-auth switch [PROFILE]`: choose the default profile, as `gh auth switch` does. */
import { ZchatError } from '../core/errors.js';
import type { ProfileView } from '../core/store/types.js';
import { usage } from './args.js';
import { askLine } from './ask-line.js';
import { type Command, type CommandIO, line } from './command.js';

export interface SwitchOptions {
  profile?: string;
}

const help = `Usage: zchat-auth switch [PROFILE]

Makes PROFILE the default: the one \`token\`, \`test\`, \`refresh\` and the others use without --profile.
Without PROFILE: the only profile, or, in a terminal, a question which one.

Example
  zchat-auth switch acme
  export ZCHAT_TOKEN=$(zchat-auth token)
`;

/** Asks which profile, by number or name; undefined when the answer is empty or stdin ends. */
async function ask(io: CommandIO, profiles: readonly ProfileView[]): Promise<string | undefined> {
  line(io.stderr, 'Which profile should be the default?');
  profiles.forEach((p, i) => {
    line(
      io.stderr,
      `  ${i + 1}. ${p.name}${p.isDefault ? ' (default now)' : ''} · ${p.subdomain} · ${p.flow}`,
    );
  });
  const answer = await askLine(io, `Number or name [1-${profiles.length}]: `);
  const text = answer?.trim() ?? '';
  if (!text) return undefined;
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1 && n <= profiles.length) return profiles[n - 1]!.name;
  return text;
}

export const command: Command<SwitchOptions> = {
  help,
  options: {},
  maxPositionals: 1,
  build({ positionals }) {
    const [profile] = positionals;
    return profile === undefined ? {} : { profile };
  },
  async run(options, io) {
    const { store } = io.services();
    const profiles = store.list();
    if (profiles.length === 0) {
      throw new ZchatError('no_profile', 'No profile is stored yet: log in first (zchat-auth login).');
    }
    let name = options.profile;
    if (name === undefined) {
      if (profiles.length === 1) name = profiles[0]!.name;
      else if (io.interactive) name = await ask(io, profiles);
      else {
        throw usage(
          `Which profile? Name it: zchat-auth switch PROFILE (one of ${profiles.map((p) => p.name).join(', ')}).`,
        );
      }
      if (name === undefined) {
        line(io.stderr, 'Nothing chosen; the default stays as it was.');
        return 1;
      }
    }
    if (!profiles.some((p) => p.name === name)) {
      throw new ZchatError(
        'no_profile',
        `No profile is named "${name.slice(0, 64)}". Stored: ${profiles.map((p) => p.name).join(', ')}.`,
      );
    }
    const before = store.defaultProfile();
    await store.setDefault(name);
    line(
      io.stdout,
      before === name
        ? `"${name}" was already the default profile.`
        : `The default profile is now "${name}"${before ? ` (was "${before}")` : ''}.`,
    );
    return 0;
  },
};
