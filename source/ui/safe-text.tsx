/**
 * The screens' only `Text`: every string child is made terminal-safe before Ink sees it. Ink strips some
 * CSI sequences itself but passes OSC 52 clipboard writes, OSC 8 links, C1 controls and bidi overrides, and
 * the screens show names, scopes, URLs and errors that came from servers, redirects and the store.
 * Biome refuses `Text` from 'ink' anywhere else (biome.json), so a new screen cannot forget it.
 */
import { Text as InkText } from 'ink';
import type { ComponentProps, ReactNode } from 'react';
import { terminalSafe } from '../core/terminal-safe.js';

function safeChildren(children: ReactNode): ReactNode {
  if (typeof children === 'string') return terminalSafe(children, { keepNewlines: true });
  if (Array.isArray(children)) return children.map(safeChildren);
  return children;
}

type InkTextProps = ComponentProps<typeof InkText>;

/** Ink's props, each optional one also taking `undefined`: screens pass `color={maybe}`, and Ink treats an
 * undefined prop as absent, so the cast below changes nothing at run time. */
export type TextProps = { [K in keyof InkTextProps]: InkTextProps[K] | undefined };

export function Text({ children, ...props }: TextProps) {
  return <InkText {...(props as InkTextProps)}>{safeChildren(children)}</InkText>;
}
