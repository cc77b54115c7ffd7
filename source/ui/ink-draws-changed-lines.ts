/**
 * Whether this build's Ink draws a frame as its changed lines when asked for incremental rendering
 * (changed-lines.ts). The build tweak `changed-lines-only` sets it to true where it patches Ink; without
 * that patch, Ink's own incremental mode would be used, which misplaces lines (see changed-lines.ts).
 */
export const inkDrawsChangedLines: boolean = false;
