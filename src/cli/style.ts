// Colour for the command's output: on when the stream is a terminal, off otherwise, and the
// NO_COLOR / FORCE_COLOR conventions on top (FORCE_COLOR wins, as it does in Node itself).

export interface Style {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Whether text written to `stream` should carry ANSI colours. */
export function colourWanted(stream: { isTTY?: boolean }, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const plain = (text: string): string => text;

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    return {
      enabled,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      bold: plain,
      dim: plain,
    };
  }
  return {
    enabled,
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    bold: sgr(1, 22),
    dim: sgr(2, 22),
  };
}
