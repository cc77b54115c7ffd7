import { useRef, useState } from 'react';
import { useKeys, WAIT_FOR_FRAME } from '../hooks/use-keys.js';
import { Text } from '../safe-text.js';
import { editText } from '../text-editing.js';

export interface TextFieldProps {
  defaultValue?: string;
  placeholder?: string;
  /** Secrets: a `*` per character on screen, and Ctrl+U clears the whole field. */
  masked?: boolean;
  /** No keys (stdin is not a terminal): the value is shown, not edited. */
  isDisabled?: boolean;
  onChange?(value: string): void;
  onSubmit(value: string): void;
}

/**
 * A one-line field with readline's keys (Ctrl+A/E/B/F/U/K/W/D, Alt+B/F/D, Alt+Backspace, ←→, home/end).
 * Its keys come through the KeyRouter like every screen's, so it takes keys from the frame it is drawn in.
 */
export function TextField({
  defaultValue = '',
  placeholder = '',
  masked,
  isDisabled,
  onChange,
  onSubmit,
}: TextFieldProps) {
  const [field, setField] = useState({ value: defaultValue, cursor: defaultValue.length });
  // The field as the keys left it: keys of one read (a paste) come before React draws any of them.
  const live = useRef(field);
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return; // the root owns Ctrl+C
    const now = live.current;
    const result = editText(now, input, key, masked);
    if (result.type === 'submit') {
      onSubmit(now.value);
      return WAIT_FOR_FRAME; // the next key is for what the submit leads to
    }
    if (result.type === 'edit') {
      live.current = result.state;
      setField(result.state);
      if (result.state.value !== now.value) onChange?.(result.state.value);
    }
    return undefined;
  }, !isDisabled);

  const shown = masked ? '*'.repeat([...field.value].length) : field.value;
  if (isDisabled) return <Text>{shown || <Text dimColor>{placeholder}</Text>}</Text>;
  if (!shown) {
    return (
      <Text>
        <Text inverse>{placeholder[0] ?? ' '}</Text>
        <Text dimColor>{placeholder.slice(1)}</Text>
      </Text>
    );
  }
  // The cursor's place in what is shown: a masked field shows one `*` per character, not per code unit.
  const at = masked ? [...field.value.slice(0, field.cursor)].length : field.cursor;
  const rest = shown.slice(at);
  const under = rest ? String.fromCodePoint(rest.codePointAt(0)!) : ' ';
  return (
    <Text>
      {shown.slice(0, at)}
      <Text inverse>{under}</Text>
      {rest.slice(under.length)}
    </Text>
  );
}
