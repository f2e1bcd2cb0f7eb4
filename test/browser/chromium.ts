// Headless Chromium from npm alone: @sparticuz/chromium ships the browser inside the package
// (brotli-compressed; executablePath() unpacks it to the temp dir) and playwright-core drives it.
// A machine without the shared libraries it links (NSS and friends) gets them from the package's
// own al2023.tar.br, unpacked to a cache and put on the browser's LD_LIBRARY_PATH; fonts come
// from the package's fonts.tar.br through a fonts.conf of our own. No apt-get, no download.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

import Chromium from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The package's bin/ folder, beside build/esm/index.js. */
const packageBin = fileURLToPath(new URL('../../bin/', import.meta.resolve('@sparticuz/chromium')));
const packageVersion: string = JSON.parse(
  readFileSync(join(packageBin, '../package.json'), 'utf8'),
).version;
/** Unpacked libraries and fonts, kept between runs (node_modules is never committed). */
const cacheDir = join(repo, 'node_modules/.cache', `zxvm-chromium-${packageVersion}`);

export interface LaunchedChromium {
  readonly browser: Browser;
  readonly version: string;
  /** What the setup had to do, for the test's diagnostics. */
  readonly notes: readonly string[];
}

/**
 * Unpacks a brotli-compressed tar (ustar or GNU) into `dest`, atomically: into a sibling folder
 * first, renamed into place at the end, so an interrupted run never leaves half a folder behind.
 */
export function unpackTarBr(archive: string, dest: string): void {
  if (existsSync(dest)) return;
  const staging = `${dest}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const tar = brotliDecompressSync(readFileSync(archive));
  /** A NUL-terminated header field. */
  const field = (header: Buffer, from: number, length: number) =>
    header
      .subarray(from, from + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const mode = Number.parseInt(field(header, 100, 8).trim() || '644', 8);
    const type = String.fromCharCode(header[156]!);
    const prefix = field(header, 345, 155);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    const name = normalize(
      longName ?? (prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`),
    );
    longName = undefined;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, ''); // GNU: the next entry's long name
      continue;
    }
    if (name.startsWith('..') || name.startsWith('/'))
      throw new Error(`${archive}: unsafe ${name}`);
    const path = join(staging, name);
    if (type === '5') {
      mkdirSync(path, { recursive: true });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body, { mode });
    }
    // Other entries (links, pax headers) do not occur in these archives.
  }
  mkdirSync(dirname(dest), { recursive: true });
  try {
    renameSync(staging, dest);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dest)) throw error; // else another run unpacked it first
  }
}

/** Libraries the dynamic loader cannot find for `exe` under `env`; null when ldd is missing. */
export function missingLibraries(exe: string, env: NodeJS.ProcessEnv): string[] | null {
  const ldd = spawnSync('ldd', [exe], { env, encoding: 'utf8' });
  if (ldd.error !== undefined) return null;
  return [...ldd.stdout.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]!);
}

function fontsConf(fontsDir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by test/browser/chromium.ts: only the fonts that @sparticuz/chromium ships, so that
     screenshots look the same on every machine. -->
<fontconfig>
  <dir>${fontsDir}</dir>
  <cachedir>${join(cacheDir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`;
}

/**
 * Starts headless Chromium or throws an Error that says why. ZXVM_CHROMIUM_LIBS=bundled forces
 * the bundled libraries even where the machine has its own (to check that path on any machine).
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const notes: string[] = [];
  let exe = await Chromium.executablePath();
  notes.push(`chromium binary: ${exe} (from @sparticuz/chromium ${packageVersion})`);
  const env: NodeJS.ProcessEnv = { ...process.env };

  const forced = process.env.ZXVM_CHROMIUM_LIBS === 'bundled';
  const missing = missingLibraries(exe, env);
  if (forced || missing === null || missing.length > 0) {
    const libs = join(cacheDir, 'al2023');
    unpackTarBr(join(packageBin, 'al2023.tar.br'), libs);
    env.LD_LIBRARY_PATH = [join(libs, 'lib'), env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    const why = forced
      ? 'ZXVM_CHROMIUM_LIBS=bundled'
      : missing === null
        ? 'no ldd to check the system'
        : `the system lacks ${missing.join(', ')}`;
    notes.push(`libraries from al2023.tar.br (${why}): ${join(libs, 'lib')}`);
    const still = missingLibraries(exe, env);
    if (still !== null && still.length > 0) {
      throw new Error(
        `Chromium needs ${still.join(', ')}, found neither on this machine nor in ` +
          `@sparticuz/chromium's al2023.tar.br`,
      );
    }
  }

  const fonts = join(cacheDir, 'fonts');
  unpackTarBr(join(packageBin, 'fonts.tar.br'), fonts);
  mkdirSync(join(cacheDir, 'fontconfig-cache'), { recursive: true });
  const conf = join(cacheDir, 'fonts.conf');
  writeFileSync(conf, fontsConf(join(fonts, 'fonts')));
  env.FONTCONFIG_FILE = conf;
  notes.push(`fonts: ${conf}`);

  // The binary must run before playwright is asked to drive it: its own error is clearer.
  const probe = () => spawnSync(exe, ['--version'], { env, encoding: 'utf8', timeout: 20_000 });
  const failure = (r: ReturnType<typeof probe>) =>
    r.error?.message ?? (r.signal !== null ? `killed by ${r.signal}` : `exit ${r.status}`);
  let version = probe();
  if (version.status !== 0) {
    // executablePath() trusts any file already at its path, even one that an interrupted run
    // left half written: unpack it once more before giving up.
    notes.push(`${exe} did not run (${failure(version)}); unpacked again`);
    rmSync(exe, { force: true });
    exe = await Chromium.executablePath();
    version = probe();
  }
  if (version.status !== 0) {
    throw new Error(
      `${exe} --version failed (${failure(version)}): ${version.stderr?.trim() ?? ''}`,
    );
  }
  const browser = await chromium.launch({
    executablePath: exe,
    args: Chromium.args,
    headless: true,
    env,
    timeout: 30_000,
  });
  return { browser, version: version.stdout.trim(), notes };
}
