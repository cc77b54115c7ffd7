/**
 * What the bench looks for to know a key moved the selection: the row drawn selected (`›`) with its first
 * cell. A column of width w shows a cell longer than w as its first w - 1 characters and "…"
 * ("profile-00000*" in a 13-column PROFILE is "profile-0000…"), so the cell is matched whole or cut at any
 * width, but only where no other row's cell would be cut to the same text: the frame must show this row,
 * not a neighbour that starts the same way.
 */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function selectedRowPattern(cell: string, others: readonly string[]): RegExp {
  const forms = [literal(cell)];
  for (let keep = cell.length - 1; keep >= 4; keep--) {
    const prefix = cell.slice(0, keep);
    if (others.some((o) => o !== cell && o.length > keep + 1 && o.startsWith(prefix))) continue;
    forms.push(`${literal(prefix)}…`);
  }
  return new RegExp(`›[^\\n›]*?(?:${forms.join('|')})`);
}
