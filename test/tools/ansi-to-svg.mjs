/**
 * A terminal capture (`tmux capture-pane -e -p`: text with SGR escapes) as an SVG picture of the terminal.
 * Handles what Ink writes: bold, dim, italic, underline, inverse, the 16 colours, 256 colours and RGB.
 *
 *   node test/tools/ansi-to-svg.mjs capture.ansi out.svg [--title "zchat-auth --sandbox"] [--cols 120 --rows 32]
 */
import { readFileSync, writeFileSync } from 'node:fs';

const palette = [
  '#484f58',
  '#ff7b72',
  '#3fb950',
  '#d29922',
  '#58a6ff',
  '#bc8cff',
  '#39c5cf',
  '#b1bac4',
  '#6e7681',
  '#ffa198',
  '#56d364',
  '#e3b341',
  '#79c0ff',
  '#d2a8ff',
  '#56d4dd',
  '#f0f6fc',
];
const FG = '#c9d1d9';
const BG = '#0d1117';

function color256(n) {
  if (n < 16) return palette[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

const plain = () => ({
  fg: undefined,
  bg: undefined,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
});

function applySgr(style, params) {
  const codes = params.length === 0 ? [0] : params;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) Object.assign(style, plain());
    else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 7) style.inverse = true;
    else if (c === 22) style.bold = style.dim = false;
    else if (c === 23) style.italic = false;
    else if (c === 24) style.underline = false;
    else if (c === 27) style.inverse = false;
    else if (c >= 30 && c <= 37) style.fg = palette[c - 30];
    else if (c >= 90 && c <= 97) style.fg = palette[c - 90 + 8];
    else if (c === 39) style.fg = undefined;
    else if (c >= 40 && c <= 47) style.bg = palette[c - 40];
    else if (c >= 100 && c <= 107) style.bg = palette[c - 100 + 8];
    else if (c === 49) style.bg = undefined;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5) {
        style[key] = color256(codes[i + 2]);
        i += 2;
      } else if (codes[i + 1] === 2) {
        style[key] = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
        i += 4;
      }
    }
  }
}

/** Lines of cells: one character and its style each. */
export function parseAnsi(text) {
  const style = plain();
  return text.split('\n').map((line) => {
    const cells = [];
    const re = /\x1b\[([0-9;]*)m|\x1b\][^\x07]*\x07|\x1b[^[\]]|([\s\S])/gu;
    for (const m of line.matchAll(re)) {
      if (m[1] !== undefined) applySgr(style, m[1] === '' ? [] : m[1].split(';').map(Number));
      else if (m[2] !== undefined && m[2] !== '\r') cells.push({ ch: m[2], style: { ...style } });
    }
    return cells;
  });
}

const escapeXml = (s) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const sameStyle = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function toSvg(text, o = {}) {
  const cols = o.cols ?? 120;
  const rows = o.rows ?? 32;
  const cw = 8.8;
  // The font's full height, so box-drawing lines join up.
  const lh = 17;
  const pad = 16;
  const bar = 30;
  const width = Math.ceil(cols * cw + pad * 2);
  const height = Math.ceil(rows * lh + pad * 2 + bar);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace" font-size="14.6">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${BG}"/>`,
    `<rect width="${width}" height="${bar}" rx="8" fill="#161b22"/><rect y="${bar - 8}" width="${width}" height="8" fill="#161b22"/>`,
    `<circle cx="18" cy="15" r="6" fill="#ff5f56"/><circle cx="38" cy="15" r="6" fill="#ffbd2e"/><circle cx="58" cy="15" r="6" fill="#27c93f"/>`,
  );
  if (o.title) {
    out.push(
      `<text x="${width / 2}" y="20" fill="#8b949e" text-anchor="middle" font-size="13">${escapeXml(o.title)}</text>`,
    );
  }
  const lines = parseAnsi(text).slice(0, rows);
  lines.forEach((cells, row) => {
    const y = bar + pad + row * lh;
    let col = 0;
    while (col < cells.length) {
      const start = col;
      const style = cells[col].style;
      while (col < cells.length && sameStyle(cells[col].style, style)) col++;
      const run = cells
        .slice(start, col)
        .map((c) => c.ch)
        .join('');
      let fg = style.fg ?? FG;
      let bg = style.bg;
      if (style.inverse) [fg, bg] = [bg ?? BG, fg];
      const x = pad + start * cw;
      const w = (col - start) * cw;
      if (bg)
        out.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${lh}" fill="${bg}"/>`);
      if (run.trim() === '') continue;
      const attrs = [
        `x="${x.toFixed(1)}"`,
        `y="${y + 13.2}"`,
        `fill="${fg}"`,
        `textLength="${w.toFixed(1)}"`,
        'lengthAdjust="spacingAndGlyphs"',
        style.bold ? 'font-weight="bold"' : '',
        style.dim ? 'opacity="0.6"' : '',
        style.italic ? 'font-style="italic"' : '',
        style.underline ? 'text-decoration="underline"' : '',
      ].filter(Boolean);
      out.push(`<text ${attrs.join(' ')} xml:space="preserve">${escapeXml(run)}</text>`);
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output, ...rest] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write(
      'usage: node test/tools/ansi-to-svg.mjs capture.ansi out.svg [--title T] [--cols N] [--rows N]\n',
    );
    process.exit(2);
  }
  const opt = (name) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const svg = toSvg(readFileSync(input, 'utf8'), {
    title: opt('title'),
    cols: opt('cols') ? Number(opt('cols')) : undefined,
    rows: opt('rows') ? Number(opt('rows')) : undefined,
  });
  writeFileSync(output, svg);
}
