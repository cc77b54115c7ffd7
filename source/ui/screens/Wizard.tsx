import { Box, useStdin } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import { IMPLICIT_WARNING } from '../../core/login/defaults.js';
import type { Scope } from '../../core/oauth/types.js';
import { ChoiceList } from '../components/ChoiceList.js';
import { TextField } from '../components/TextField.js';
import { useKeys, WAIT_FOR_FRAME } from '../hooks/use-keys.js';
import { usableRows, useTerminalSize } from '../hooks/use-terminal-size.js';
import { initWizard, isFirstStep, useWizardState } from '../hooks/use-wizard-state.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import {
  ALL_SCOPES,
  type CheckContext,
  checkField,
  DEFAULT_REDIRECT_URI,
  defaultProfileName,
  type FieldName,
  fieldLabels,
  fieldsFor,
  flowChoices,
  hasStoredSecret,
  type WizardValues,
} from '../wizard-fields.js';

export interface WizardProps {
  initial: WizardValues;
  /** Fields that came filled in (flags, the last profile): the wizard skips to the first one missing. */
  given: readonly FieldName[];
  ctx: CheckContext;
  /** Where the login will go with these values, as the plan decides it (e.g. https://acme.zendesk.com). */
  serverFor?: (values: WizardValues) => string | undefined;
  /** Why the last attempt could not start (e.g. a bad base URL), as a sentence. */
  error?: string;
  /** The field the server refused on the last attempt: the wizard opens there, marked ✗ with the reason. */
  failed?: { field: FieldName; reason: string };
  /** What esc on the first step does, for the footer ("back to the dashboard", "quit"). */
  leaveLabel: string;
  /** esc leaves from any step (opened from the dashboard), asking first if anything was edited. */
  escLeaves?: boolean;
  onSubmit(values: WizardValues): void;
  onLeave(): void;
  /** The step on screen, as words ("subdomain", "client ID", "summary"), for a terminal too small to show it. */
  onStep?(step: string): void;
}

const SECRET_FIELDS: FieldName[] = ['clientSecret', 'password'];
const TEXT_FIELDS: FieldName[] = ['subdomain', 'clientId', 'username', 'redirectUri', 'profile'];

/** The values with a defaulted profile name, as the login will use them. */
export function finalValues(v: WizardValues): WizardValues {
  return {
    ...v,
    profile: v.profile.trim() || defaultProfileName(v),
    subdomain: v.subdomain.trim(),
    clientId: v.clientId.trim(),
  };
}

function shownValue(field: FieldName, v: WizardValues, ctx: CheckContext): string {
  switch (field) {
    case 'clientSecret':
      if (v.clientSecret) return '•••••••• (typed)';
      return hasStoredSecret(v, ctx) ? '•••••••• (stored, kept)' : '(none)';
    case 'password':
      return v.password ? '••••••••' : '';
    case 'flow':
      return flowChoices.find((c) => c.value === v.flow)?.label ?? v.flow;
    case 'scopes':
      return v.scopes.join(' ');
    case 'profile':
      return v.profile.trim() || defaultProfileName(v);
    default:
      return v[field];
  }
}

export function Wizard(props: WizardProps) {
  const theme = useTheme();
  const { isRawModeSupported } = useStdin();
  const canType = Boolean(isRawModeSupported);
  const size = useTerminalSize();
  const [state, dispatch] = useWizardState(() =>
    initWizard(
      props.initial,
      props.given.filter((f) => f !== props.failed?.field),
      props.ctx,
    ),
  );
  const [draft, setDraft] = useState('');
  const [cursor, setCursor] = useState(0);
  const [askLeave, setAskLeave] = useState(false);
  const { values, step } = state;
  const escWord = props.escLeaves || isFirstStep(state) ? props.leaveLabel : 'back';
  const edited = Boolean(draft) || JSON.stringify(values) !== JSON.stringify(props.initial);
  const order = fieldsFor(values.flow);

  const go = (action: Parameters<typeof dispatch>[0]) => {
    dispatch(action);
    setDraft('');
  };
  const { onStep } = props;
  useEffect(() => {
    onStep?.(
      step === 'review' ? 'summary' : fieldLabels[step].toLowerCase().replace('client id', 'client ID'),
    );
  }, [step, onStep]);
  // A choice list opens with its cursor on the current value.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the step changes
  useEffect(() => {
    setCursor(
      step === 'flow'
        ? Math.max(
            flowChoices.findIndex((c) => c.value === values.flow),
            0,
          )
        : 0,
    );
  }, [step]);

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return; // the root owns Ctrl+C
    if (askLeave) {
      if (input === 'y') props.onLeave();
      else if (input === 'n' || key.escape) setAskLeave(false);
      return WAIT_FOR_FRAME;
    }
    if (key.escape && props.escLeaves) {
      if (edited) setAskLeave(true);
      else props.onLeave();
      return WAIT_FOR_FRAME;
    }
    if (key.escape) {
      if (isFirstStep(state)) props.onLeave();
      else go({ type: 'back' });
      return WAIT_FOR_FRAME;
    }
    if (step === 'flow') {
      if (key.upArrow || key.downArrow) {
        setCursor((c) => (c + (key.upArrow ? -1 : 1) + flowChoices.length) % flowChoices.length);
      } else if (key.return) {
        dispatch({ type: 'set', field: 'flow', value: flowChoices[cursor]!.value });
        dispatch({ type: 'next' });
      }
      return WAIT_FOR_FRAME; // the next key of the same read meets the cursor this one moved
    }
    if (step === 'scopes') {
      if (key.upArrow || key.downArrow) {
        setCursor((c) => (c + (key.upArrow ? -1 : 1) + ALL_SCOPES.length) % ALL_SCOPES.length);
      } else if (input === ' ') {
        const scope = ALL_SCOPES[cursor]!;
        const next: Scope[] = values.scopes.includes(scope)
          ? values.scopes.filter((s) => s !== scope)
          : ALL_SCOPES.filter((s) => s === scope || values.scopes.includes(s));
        dispatch({ type: 'set', field: 'scopes', value: next });
      } else if (key.return) {
        dispatch({ type: 'next' });
      }
      return WAIT_FOR_FRAME;
    }
    if (step === 'review') {
      if (key.upArrow) dispatch({ type: 'review-move', delta: -1 });
      else if (key.downArrow) dispatch({ type: 'review-move', delta: 1 });
      else if (key.return) {
        if (state.reviewIndex === 0) props.onSubmit(finalValues(values));
        else go({ type: 'goto', field: order[state.reviewIndex - 1]! });
      }
      return WAIT_FOR_FRAME;
    }
    return undefined;
  });

  const checkValues: WizardValues =
    step !== 'review' && SECRET_FIELDS.includes(step) && draft ? { ...values, [step]: draft } : values;
  const check = step === 'review' ? undefined : checkField(step, checkValues, props.ctx);
  /** The refused field, while it still holds the value the server refused. */
  const refused = (field: FieldName): string | undefined =>
    props.failed?.field === field &&
    JSON.stringify(values[field]) === JSON.stringify(props.initial[field]) &&
    !(field === step && draft)
      ? props.failed.reason
      : undefined;
  const position = step === 'review' ? order.length + 1 : order.indexOf(step) + 1;
  const redirect = values.redirectUri.trim() || DEFAULT_REDIRECT_URI;
  const browserFlow = values.flow === 'code' || values.flow === 'implicit';
  const server = step === 'review' ? props.serverFor?.(values) : undefined;

  const onTextChange = useCallback(
    (value: string) => {
      if (step !== 'review') dispatch({ type: 'set', field: step, value });
    },
    [step, dispatch],
  );

  const input = (field: FieldName) => {
    if (TEXT_FIELDS.includes(field)) {
      const shown =
        field === 'profile' ? values.profile || defaultProfileName(values) : (values[field] as string);
      return (
        <TextField
          key={field}
          isDisabled={!canType || askLeave}
          defaultValue={shown}
          placeholder={field === 'subdomain' ? 'acme (for acme.zendesk.com)' : ''}
          onChange={onTextChange}
          onSubmit={(v) => {
            dispatch({ type: 'set', field, value: v });
            go({ type: 'next' });
          }}
        />
      );
    }
    if (SECRET_FIELDS.includes(field)) {
      const placeholder =
        field === 'clientSecret' && hasStoredSecret(values, props.ctx)
          ? 'enter keeps the stored secret'
          : field === 'clientSecret' && values.clientSecret
            ? 'enter keeps the secret given'
            : '';
      return (
        <TextField
          key={field}
          masked
          isDisabled={!canType || askLeave}
          placeholder={placeholder}
          onChange={setDraft}
          onSubmit={(v) => {
            if (v) dispatch({ type: 'set', field, value: v });
            go({ type: 'next' });
          }}
        />
      );
    }
    if (field === 'flow') {
      return (
        <ChoiceList
          cursor={cursor}
          choices={flowChoices.map((c) => ({
            label: c.label,
            help: c.help,
            isChecked: c.value === values.flow,
          }))}
        />
      );
    }
    return (
      <ChoiceList
        multi
        cursor={cursor}
        choices={ALL_SCOPES.map((s) => ({
          label: s,
          help: { read: 'read data', write: 'change data', chat: 'the Chat Conversations API' }[s],
          isChecked: values.scopes.includes(s),
        }))}
      />
    );
  };

  // On a short terminal the intro takes one line and only the fields around the current one show.
  const maxRows = usableRows(size);
  const roomy = !maxRows || maxRows >= 26;
  const focus =
    step === 'review'
      ? state.reviewIndex > 0
        ? state.reviewIndex - 1
        : order.length - 1
      : order.indexOf(step);
  const linesOf = (field: FieldName, i: number) => {
    if (i !== focus || step === 'review') return 1;
    const extra = field === 'flow' ? flowChoices.length : field === 'scopes' ? ALL_SCOPES.length : 0;
    return 1 + extra + (check && (!check.ok || check.note || refused(field)) ? 1 : 0);
  };
  const footerLines = size.columns < 80 ? 2 : 1;
  const budget = maxRows
    ? maxRows -
      1 -
      (roomy ? 4 : 1) -
      (step === 'review' ? (values.flow === 'implicit' ? 5 : 3) : 0) -
      (props.error ? 2 : 0) -
      footerLines -
      (roomy ? 1 : 0)
    : Number.POSITIVE_INFINITY;
  let first = focus;
  let last = focus;
  let used = linesOf(order[focus]!, focus);
  // Fields before the current one first (what was answered), then the ones after.
  while (first > 0 && used + linesOf(order[first - 1]!, first - 1) <= budget)
    used += linesOf(order[--first]!, first);
  while (last < order.length - 1 && used + linesOf(order[last + 1]!, last + 1) <= budget)
    used += linesOf(order[++last]!, last);
  const visible = order.slice(first, last + 1);

  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        <Box flexShrink={0}>
          <Text bold wrap="truncate-end">
            zchat-auth · new login{' '}
            <Text dimColor>({step === 'review' ? 'summary' : `step ${position} of ${order.length}`})</Text>
          </Text>
        </Box>
        {roomy ? (
          <Box flexDirection="column" marginY={1} flexShrink={0}>
            <Text wrap="wrap">
              The client comes from Zendesk Chat: <Text bold>Account › API & SDKs › Add API Client</Text> (an
              administrator can add one). Its secret is shown only once there: keep it.
            </Text>
            {browserFlow ? (
              <Text wrap="wrap">
                Register this redirect URL on the client, exactly: <Text bold>{redirect}</Text>
              </Text>
            ) : null}
          </Box>
        ) : (
          <Box flexShrink={0}>
            <Text dimColor wrap="truncate-end">
              Client: Zendesk Chat › Account › API & SDKs{browserFlow ? ` · register ${redirect}` : ''}
            </Text>
          </Box>
        )}
        {props.error ? (
          <Box flexShrink={0} marginBottom={1}>
            <Text color={theme.error} wrap="truncate-end">
              ✗ {props.error}
            </Text>
          </Box>
        ) : null}
        {visible.map((field) => {
          const i = order.indexOf(field);
          const here = field === step;
          const picked = step === 'review' && state.reviewIndex === i + 1;
          const done = state.confirmed.includes(field);
          const fieldCheck = here ? check : checkField(field, values, props.ctx);
          return (
            <Box key={field} flexDirection="column" flexShrink={0}>
              <Box>
                <Box width={16} flexShrink={0}>
                  <Text
                    bold={here || picked}
                    color={here || picked ? theme.accent : undefined}
                    inverse={picked && theme.noColor}
                  >
                    {here || picked
                      ? '› '
                      : refused(field)
                        ? '✗ '
                        : done && fieldCheck?.ok
                          ? '✓ '
                          : fieldCheck?.ok === false && done
                            ? '✗ '
                            : '  '}
                    {fieldLabels[field]}
                  </Text>
                </Box>
                {here && field !== 'flow' && field !== 'scopes' ? (
                  input(field)
                ) : (
                  <Text dimColor={!done} wrap="truncate-end">
                    {here ? '' : shownValue(field, values, props.ctx)}
                  </Text>
                )}
              </Box>
              {here && (field === 'flow' || field === 'scopes') ? (
                <Box marginLeft={2}>{input(field)}</Box>
              ) : null}
              {here && check ? (
                <Box marginLeft={size.columns >= 60 ? 16 : 2}>
                  {check.ok && refused(field) ? (
                    <Text color={theme.error} wrap="truncate-end">
                      ✗ {refused(field)}
                    </Text>
                  ) : check.ok ? (
                    check.note ? (
                      <Text dimColor wrap="truncate-end">
                        {check.note}
                      </Text>
                    ) : null
                  ) : (
                    <Text color={theme.error} bold={state.attempted} wrap="truncate-end">
                      {check.reason}
                    </Text>
                  )}
                </Box>
              ) : null}
            </Box>
          );
        })}
        {step === 'review' ? (
          <Box flexDirection="column" marginTop={1} flexShrink={0}>
            {server ? (
              <Text dimColor wrap="truncate-end">
                Server: {server}
              </Text>
            ) : null}
            {values.flow === 'implicit' ? (
              <Text color={theme.warn} wrap="wrap">
                {IMPLICIT_WARNING}
              </Text>
            ) : null}
            <Text
              bold
              color={state.reviewIndex === 0 ? theme.accent : undefined}
              inverse={state.reviewIndex === 0}
            >
              {state.reviewIndex === 0 ? '› ' : '  '}Start the login
            </Text>
          </Box>
        ) : null}
      </Box>
      <Box flexShrink={0} marginTop={roomy ? 1 : 0}>
        {askLeave ? (
          <Text bold color={theme.accent} wrap="wrap">
            Discard what you changed and go {props.leaveLabel}? y yes · n or esc no
          </Text>
        ) : (
          <Text dimColor wrap="wrap">
            {step === 'review'
              ? `enter start · ↑↓ pick a field, enter edits it · esc ${props.escLeaves ? props.leaveLabel : 'back'} · ctrl+c quit`
              : step === 'flow'
                ? `↑↓ choose · enter next · esc ${escWord}`
                : step === 'scopes'
                  ? `↑↓ move · space tick · enter next · esc ${escWord}`
                  : `enter next · esc ${escWord} · ctrl+c quit`}
          </Text>
        )}
      </Box>
    </Box>
  );
}
