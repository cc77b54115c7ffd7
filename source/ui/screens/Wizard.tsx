import { PasswordInput, TextInput } from '@inkjs/ui';
import { Box, Text, useStdin } from 'ink';
import { useEffect, useState } from 'react';
import type { Scope } from '../../core/oauth/types.js';
import { ChoiceList } from '../components/ChoiceList.js';
import { useKeys } from '../hooks/use-keys.js';
import { initWizard, isFirstStep, useWizardState } from '../hooks/use-wizard-state.js';
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
  /** Where the login will go, for the summary (e.g. https://acme.zendesk.com or the sandbox). */
  baseUrl?: string;
  /** Why the last attempt could not start (e.g. a bad base URL), as a sentence. */
  error?: string;
  /** What esc on the first step does, for the footer ("back to the dashboard", "quit"). */
  leaveLabel: string;
  onSubmit(values: WizardValues): void;
  onLeave(): void;
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
  const [state, dispatch] = useWizardState(() => initWizard(props.initial, props.given, props.ctx));
  const [draft, setDraft] = useState('');
  const [cursor, setCursor] = useState(0);
  const { values, step } = state;
  const order = fieldsFor(values.flow);

  const go = (action: Parameters<typeof dispatch>[0]) => {
    dispatch(action);
    setDraft('');
  };
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
    if (key.escape) {
      if (isFirstStep(state)) props.onLeave();
      else go({ type: 'back' });
      return;
    }
    if (step === 'flow') {
      if (key.upArrow || key.downArrow) {
        setCursor((c) => (c + (key.upArrow ? -1 : 1) + flowChoices.length) % flowChoices.length);
      } else if (key.return) {
        dispatch({ type: 'set', field: 'flow', value: flowChoices[cursor]!.value });
        dispatch({ type: 'next' });
      }
      return;
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
      return;
    }
    if (step === 'review') {
      if (key.upArrow) dispatch({ type: 'review-move', delta: -1 });
      else if (key.downArrow) dispatch({ type: 'review-move', delta: 1 });
      else if (key.return) {
        if (state.reviewIndex === 0) props.onSubmit(finalValues(values));
        else go({ type: 'goto', field: order[state.reviewIndex - 1]! });
      }
    }
  });

  const checkValues: WizardValues =
    step !== 'review' && SECRET_FIELDS.includes(step) && draft ? { ...values, [step]: draft } : values;
  const check = step === 'review' ? undefined : checkField(step, checkValues, props.ctx);
  const position = step === 'review' ? order.length + 1 : order.indexOf(step) + 1;
  const redirect = values.redirectUri.trim() || DEFAULT_REDIRECT_URI;
  const browserFlow = values.flow === 'code' || values.flow === 'implicit';

  const input = (field: FieldName) => {
    if (TEXT_FIELDS.includes(field)) {
      const shown =
        field === 'profile' ? values.profile || defaultProfileName(values) : (values[field] as string);
      return (
        <TextInput
          key={field}
          isDisabled={!canType}
          defaultValue={shown}
          placeholder={field === 'subdomain' ? 'acme (for acme.zendesk.com)' : ''}
          onChange={(v) => dispatch({ type: 'set', field, value: v })}
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
        <PasswordInput
          key={field}
          isDisabled={!canType}
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

  return (
    <Box flexDirection="column">
      <Text bold>
        zchat-auth · new login{' '}
        <Text dimColor>({step === 'review' ? 'summary' : `step ${position} of ${order.length}`})</Text>
      </Text>
      <Box flexDirection="column" marginY={1}>
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
      {order.map((field, i) => {
        const here = field === step;
        const picked = step === 'review' && state.reviewIndex === i + 1;
        const done = state.confirmed.includes(field);
        const fieldCheck = here ? check : checkField(field, values, props.ctx);
        return (
          <Box key={field} flexDirection="column">
            <Box>
              <Box width={16} flexShrink={0}>
                <Text
                  bold={here || picked}
                  color={here || picked ? theme.accent : undefined}
                  inverse={picked && theme.noColor}
                >
                  {here || picked
                    ? '› '
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
              <Box marginLeft={16}>
                {check.ok ? (
                  check.note ? (
                    <Text dimColor>{check.note}</Text>
                  ) : null
                ) : (
                  <Text color={theme.error} bold={state.attempted}>
                    {check.reason}
                  </Text>
                )}
              </Box>
            ) : null}
          </Box>
        );
      })}
      {step === 'review' ? (
        <Box flexDirection="column" marginTop={1}>
          {props.baseUrl ? <Text dimColor>Server: {props.baseUrl}</Text> : null}
          <Text
            bold
            color={state.reviewIndex === 0 ? theme.accent : undefined}
            inverse={state.reviewIndex === 0}
          >
            {state.reviewIndex === 0 ? '› ' : '  '}Start the login
          </Text>
        </Box>
      ) : null}
      {props.error ? (
        <Box marginTop={1}>
          <Text color={theme.error}>✗ {props.error}</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>
          {step === 'review'
            ? `enter start · ↑↓ pick a field, enter edits it · esc back · ctrl+c quit`
            : step === 'flow'
              ? `↑↓ choose · enter next · esc ${isFirstStep(state) ? props.leaveLabel : 'back'}`
              : step === 'scopes'
                ? `↑↓ move · space tick · enter next · esc ${isFirstStep(state) ? props.leaveLabel : 'back'}`
                : `enter next · esc ${isFirstStep(state) ? props.leaveLabel : 'back'} · ctrl+c quit`}
        </Text>
      </Box>
    </Box>
  );
}
