/**
 * `zchat-auth completion bash|zsh|fish`: a completion script built from the command table and each
 * command's option spec (so a new flag completes without anyone editing a list). Profile names come at
 * Tab time from `zchat-auth __complete profiles`, which reads the store file and nothing else.
 */
import { globalOptions, type OptionSpec, usage } from './args.js';
import type { Command } from './command.js';
import { commands, hiddenCommands, topLevelOptions } from './registry.js';

const shells = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof shells)[number];

export interface CompletionOptions {
  shell: Shell;
}

const help = `Usage: zchat-auth completion bash|zsh|fish

Prints a shell completion script: commands, their flags, and profile names after --profile.

Install
  bash   echo 'source <(zchat-auth completion bash)' >> ~/.bashrc
  zsh    zchat-auth completion zsh > "\${fpath[1]}/_zchat-auth"    (then start a new shell)
         or: echo 'source <(zchat-auth completion zsh)' >> ~/.zshrc   (after compinit)
  fish   zchat-auth completion fish > ~/.config/fish/completions/zchat-auth.fish
`;

/** Values some commands take as their first argument. */
const positionalWords: Record<string, string[]> = {
  completion: [...shells],
  clients: ['confidential'],
  tokens: ['revoke'],
  api: ['chats', 'account', 'agents', 'departments', 'oauth/clients', 'oauth/tokens'],
};

interface Spec {
  name: string;
  flags: string[];
  words: string[];
}

function flagsOf(options: OptionSpec): string[] {
  return Object.entries(options).flatMap(([long, spec]) => [
    `--${long}`,
    ...(spec.short ? [`-${spec.short}`] : []),
  ]);
}

/** Every visible command with its flags (its own and the global ones), from the command table. */
export async function commandSpecs(): Promise<Spec[]> {
  const names = Object.keys(commands).filter((name) => !hiddenCommands.includes(name));
  const specs: Spec[] = [];
  for (const name of names) {
    const { command } = (await commands[name]!()) as { command: Command<unknown> };
    specs.push({
      name,
      flags: [...new Set(flagsOf({ ...globalOptions, ...command.options }))],
      words: positionalWords[name] ?? [],
    });
  }
  return specs;
}

const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

export function bashScript(specs: Spec[], top: string[]): string {
  const cases = specs
    .map(
      (s) =>
        `    ${s.name}) if [[ "$cur" == -* ]]; then words=${quote(s.flags.join(' '))}; else words=${quote(s.words.join(' '))}; fi ;;`,
    )
    .join('\n');
  return `# zchat-auth completion for bash: source <(zchat-auth completion bash)
_zchat_auth() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" words="" i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      --) [[ -n "$cmd" ]] && return 0 ;;
      --profile) ((i++)) ;;
      -*) ;;
      *) [[ -z "$cmd" ]] && cmd="\${COMP_WORDS[i]}" ;;
    esac
  done
  if [[ "$prev" == --profile ]]; then
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "$(zchat-auth __complete profiles 2>/dev/null)" -- "$cur"))
    return 0
  fi
  case "$cmd" in
    "") if [[ "$cur" == -* ]]; then words=${quote(top.join(' '))}; else words=${quote(['help', ...specs.map((s) => s.name)].join(' '))}; fi ;;
${cases}
    *) return 0 ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _zchat_auth zchat-auth
`;
}

export function zshScript(specs: Spec[], top: string[]): string {
  const cases = specs
    .map(
      (s) =>
        `    ${s.name}) if [[ $PREFIX == -* ]]; then words_=(${s.flags.map(quote).join(' ')}); else words_=(${s.words.map(quote).join(' ')}); fi ;;`,
    )
    .join('\n');
  return `#compdef zchat-auth
# zchat-auth completion for zsh: save as _zchat-auth in a directory of $fpath, or source it after compinit.
_zchat_auth() {
  local cmd="" i
  local -a words_
  for ((i = 2; i < CURRENT; i++)); do
    case "\${words[i]}" in
      --) if [[ -n $cmd ]]; then words=("\${(@)words[i+1,-1]}"); (( CURRENT -= i )); _normal; return; fi ;;
      --profile) ((i++)) ;;
      -*) ;;
      *) [[ -z $cmd ]] && cmd="\${words[i]}" ;;
    esac
  done
  if [[ "\${words[CURRENT-1]}" == --profile ]]; then
    compadd -- \${(f)"$(zchat-auth __complete profiles 2>/dev/null)"}
    return
  fi
  case $cmd in
    '') if [[ $PREFIX == -* ]]; then words_=(${top.map(quote).join(' ')}); else words_=(help ${specs.map((s) => s.name).join(' ')}); fi ;;
${cases}
    *) _files; return ;;
  esac
  compadd -- "\${words_[@]}"
}
if [[ "\${funcstack[1]}" == _zchat_auth || "\${funcstack[1]}" == _zchat-auth ]]; then
  _zchat_auth "$@"
else
  compdef _zchat_auth zchat-auth
fi
`;
}

export function fishScript(specs: Spec[], top: string[]): string {
  const names = specs.map((s) => s.name);
  const lines = [
    '# zchat-auth completion for fish: save as ~/.config/fish/completions/zchat-auth.fish',
    'complete -c zchat-auth -f',
    `complete -c zchat-auth -n __fish_use_subcommand -a ${quote(['help', ...names].join(' '))}`,
    ...top
      .filter((f) => f.startsWith('--') && f !== '--profile')
      .map((f) => `complete -c zchat-auth -n __fish_use_subcommand -l ${f.slice(2)}`),
    "complete -c zchat-auth -l profile -x -a '(zchat-auth __complete profiles 2>/dev/null)'",
  ];
  for (const s of specs) {
    const when = `'__fish_seen_subcommand_from ${s.name}'`;
    for (const flag of s.flags) {
      if (flag === '--profile' || !flag.startsWith('--')) continue;
      lines.push(`complete -c zchat-auth -n ${when} -l ${flag.slice(2)}`);
    }
    if (s.words.length > 0) lines.push(`complete -c zchat-auth -n ${when} -a ${quote(s.words.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

export const command: Command<CompletionOptions> = {
  help,
  options: {},
  maxPositionals: 1,
  build({ positionals }) {
    const shell = positionals[0];
    if (!shells.includes(shell as Shell)) {
      throw usage(
        shell === undefined ? 'Which shell?' : `No completion for "${shell.slice(0, 16)}".`,
        'Use `zchat-auth completion bash`, `zsh` or `fish`.',
      );
    }
    return { shell: shell as Shell };
  },
  async run({ shell }, io) {
    const specs = await commandSpecs();
    const top = flagsOf({ ...globalOptions, ...topLevelOptions });
    const script =
      shell === 'bash'
        ? bashScript(specs, top)
        : shell === 'zsh'
          ? zshScript(specs, top)
          : fishScript(specs, top);
    io.stdout.write(script);
    return 0;
  },
};
