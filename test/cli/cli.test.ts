// The zxvm command, spawned as a user runs it: the built bin entry (dist/cli/main.js, what
// `npx zxvm` runs) and the sources through tsx. Text output, --trace on stderr, --json lines,
// the summary, exit codes (0 ok, 1 failed scenario, 2 usage error), --help of every subcommand,
// colour only when asked for or on a terminal; zxvm inspect (text, --json, --final, colour) and
// zxvm serve (the page and its files on 127.0.0.1, the scenario preselected, Ctrl-C).

import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ZX_ERR_OUT_OF_RANGE } from '../../src/abi/constants.ts';
import { Kernel } from '../../src/kernel.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const BIN = join(repo, pkg.bin.zxvm);
const ESC = '\u001b[';

function stripColour(text: string): string {
  return text.replaceAll(new RegExp(`${ESC.replace('[', '\\[')}\\d+m`, 'g'), '');
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command; `via` picks the built bin entry or the TypeScript sources. */
function zxvm(
  args: string[],
  options: { via?: 'bin' | 'source'; env?: Record<string, string>; cwd?: string } = {},
): Promise<Result> {
  const entry =
    options.via === 'source' ? ['--import', 'tsx', join(repo, 'src/cli/main.ts')] : [BIN];
  // A clean environment as far as colour goes: the test runner may set FORCE_COLOR.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'FORCE_COLOR' && key !== 'NO_COLOR') env[key] = value;
  }
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...entry, ...args],
      { cwd: options.cwd ?? repo, env: { ...env, ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

const SNAPSHOT_SYSCALLS = 26;
/** Each case is its own process: a few at a time keep the two cores busy. */
const CONCURRENT = { concurrency: 3 };

describe('zxvm command', { timeout: 120_000 }, () => {
  let fixtures: string;

  before(() => {
    // The bin entry is built JavaScript: build it when the sources are newer (npm test builds
    // first anyway; this covers running this file on its own).
    let built = 0;
    try {
      built = statSync(BIN).mtimeMs;
    } catch {}
    if (built < newestSource(join(repo, 'src'))) {
      const tsc = spawnSync(
        process.execPath,
        [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
        { cwd: repo, encoding: 'utf8' },
      );
      assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    }
    fixtures = mkdtempSync(join(tmpdir(), 'zxvm-cli-'));
    const write = (name: string, text: string) => writeFileSync(join(fixtures, name), text);
    write('package.json', '{ "type": "module" }\n');
    write(
      'plain.mjs',
      `export default (kernel, proc) => {
  const out = { value: 0 };
  proc.syscalls.zx_vmo_create(4096, 0, out);
  proc.syscalls.zx_handle_close(out.value);
  console.log('plain done');
};\n`,
    );
    write(
      'throws.ts',
      "export default (): void => {\n  throw new Error('boom from the scenario');\n};\n",
    );
    write(
      'rejects.mjs',
      "export default async () => {\n  await null;\n  throw new Error('async boom');\n};\n",
    );
    write(
      'check-fails.ts',
      `import { check, type Kernel, type Process } from '${join(repo, 'src/index.ts')}';
export default (_kernel: Kernel, proc: Process): void => {
  check(proc.syscalls.zx_vmo_read(12345, new Uint8Array(1), 0, 1), 'zx_vmo_read');
};\n`,
    );
    write('never.mjs', 'export default () => new Promise(() => {});\n');
    write('no-default.mjs', 'export const scenario = () => {};\n');
    write('broken.ts', 'export default (: => {\n');
    write('notes.txt', 'not a scenario\n');
  });

  after(() => rmSync(fixtures, { recursive: true, force: true }));

  describe('the bin entry', CONCURRENT, () => {
    it('is built JavaScript with a node shebang, as package.json names it', () => {
      assert.equal(pkg.bin.zxvm, './dist/cli/main.js');
      assert.ok(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
      assert.ok('tsx' in pkg.dependencies, 'the installed command loads .ts scenarios with tsx');
    });

    it('prints its version', async () => {
      const { code, stdout } = await zxvm(['--version']);
      assert.equal(code, 0);
      assert.equal(stdout, `${pkg.version}\n`);
    });
  });

  describe('--help', CONCURRENT, () => {
    for (const command of ['run', 'bench', 'inspect', 'serve']) {
      it(`of ${command}`, async () => {
        const { code, stdout, stderr } = await zxvm([command, '--help']);
        assert.equal(code, 0);
        assert.match(stdout, new RegExp(`^Usage: zxvm ${command}`));
        assert.equal(stderr, '');
      });
    }

    it('through zxvm help <command>, from the sources', async () => {
      const [viaHelp, viaFlag] = await Promise.all([
        zxvm(['help', 'run'], { via: 'source' }),
        zxvm(['run', '-h'], { via: 'source' }),
      ]);
      assert.equal(viaHelp.code, 0);
      assert.match(viaHelp.stdout, /^Usage: zxvm run/);
      assert.equal(viaHelp.stdout, viaFlag.stdout);
    });

    it('of the command itself lists every subcommand and the exit codes', async () => {
      const { code, stdout } = await zxvm(['--help']);
      assert.equal(code, 0);
      for (const command of ['run', 'bench', 'inspect', 'serve', 'help']) {
        assert.match(stdout, new RegExp(`^ {2}${command} `, 'm'));
      }
      assert.match(stdout, /2 usage error/);
    });
  });

  describe('run', CONCURRENT, () => {
    it('runs a TypeScript scenario from the built bin and prints its output and a summary', async () => {
      const { code, stdout, stderr } = await zxvm(['run', 'examples/snapshots.ts']);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '');
      assert.match(
        stdout,
        /^snapshot 2 {2}page 0: "version 2" {2}page 1: "written in snapshot 2"/m,
      );
      assert.match(stdout, /zxvm run examples\/snapshots\.ts: ok in [\d.]+ ms/);
      assert.match(
        stdout,
        new RegExp(
          `syscalls {2}${SNAPSHOT_SYSCALLS} made, 1 returned an error \\(ZX_ERR_OUT_OF_RANGE ×1\\)`,
        ),
      );
      // 4 GiB by default; one page is the kernel's own; every VMO closed.
      assert.match(stdout, /memory {4}4,194,300 free of 4,194,304 KiB, VMOs hold 0 KiB/);
      assert.ok(!stdout.includes(ESC), 'no colour when stdout is not a terminal');
    });

    it('traces every syscall on stderr, strace style, coloured with FORCE_COLOR', async () => {
      const { code, stdout, stderr } = await zxvm(['run', 'examples/snapshots.ts', '--trace'], {
        env: { FORCE_COLOR: '1' },
      });
      assert.equal(code, 0);
      assert.ok(stderr.includes(`= ${ESC}32mZX_OK${ESC}39m`), 'ZX_OK in green');
      assert.ok(stderr.includes(`= ${ESC}31mZX_ERR_OUT_OF_RANGE${ESC}39m`), 'errors in red');
      const lines = stripColour(stderr).trimEnd().split('\n');
      assert.equal(lines.length, SNAPSHOT_SYSCALLS);
      for (const line of lines) assert.match(line, /^\[snapshots\] zx_\w+\(.*\) = ZX_(OK|ERR_\w+)/);
      assert.match(
        lines[0]!,
        /^\[snapshots\] zx_vmo_create\(size=16384, options=0, out=&out\) = ZX_OK; out=0x[\da-f]+$/,
      );
      const failed = lines.filter((l) => l.includes('= ZX_ERR_OUT_OF_RANGE'));
      assert.equal(failed.length, 1);
      // The error says why.
      assert.match(
        failed[0]!,
        /= ZX_ERR_OUT_OF_RANGE \(offset \+ buffer_size \(0x[\da-f]+\) is past/,
      );
      assert.match(stripColour(stdout), /snapshot 1 {2}page 0: "version 1"/);
    });

    it('prints one JSON object per syscall with --json, the rest on stderr', async () => {
      const { code, stdout, stderr } = await zxvm(['run', 'examples/snapshots.ts', '--json'], {
        via: 'source',
      });
      assert.equal(code, 0, stderr);
      const events = stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.equal(events.length, SNAPSHOT_SYSCALLS);
      for (const event of events) {
        // An error's event says why, after its status.
        const why = event.status === 0 ? [] : ['reason'];
        assert.deepEqual(Object.keys(event), [
          'kind',
          'process',
          'syscall',
          'args',
          'status',
          'statusName',
          ...why,
          'outs',
        ]);
        assert.equal(event.process.name, 'snapshots');
      }
      assert.deepEqual(events[0].args, { size: '16384', options: '0', out: '&out' });
      assert.equal(events[0].statusName, 'ZX_OK');
      assert.match(events[0].outs.out, /^0x[\da-f]+$/);
      const failed = events.filter((e) => e.status !== 0);
      assert.deepEqual(
        failed.map((e) => [e.syscall, e.status, e.statusName]),
        [['zx_vmo_read', ZX_ERR_OUT_OF_RANGE, 'ZX_ERR_OUT_OF_RANGE']],
      );
      assert.match(
        failed[0].reason,
        /^offset \+ buffer_size \(0x[\da-f]+\) is past the VMO's size/,
      );
      // The scenario's console output and the summary moved to stderr.
      assert.match(stderr, /snapshot 3 {2}page 0: "version 3"/);
      assert.match(stderr, /syscalls {2}26 made/);
    });

    it('traces page faults and page requests too, as text and as JSON Lines', async () => {
      const [text, json] = await Promise.all([
        zxvm(['run', 'examples/pager-file.ts', '--trace']),
        zxvm(['run', 'examples/pager-file.ts', '--json']),
      ]);
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stderr.trimEnd().split('\n');
      const faults = lines.filter((l) => l.startsWith('[pager-file] fault '));
      assert.deepEqual(
        faults.map((l) => l.replace(/^.*: /, '')),
        ['waits for the pager', 'mapped', 'waits for the pager', 'mapped'],
      );
      assert.match(faults[0]!, /^\[pager-file\] fault read 0x[\da-f]+ \(vmo \d+ offset 0x1000\): /);
      const requests = lines.filter((l) => /^\[pager \d+\] page request/.test(l));
      assert.deepEqual(
        requests.map((l) => l.replace(/^\[pager \d+\] page request/, '').replace(/ vmo \d+/, '')),
        [
          ' READ [0x1000, +0x1000): sent',
          ' [0x1000, +0x1000): supplied',
          ' READ [0x1000, +0x1000): completed',
          ' READ [0x2000, +0x1000): sent',
          ' [0x2000, +0x1000): supplied',
          ' READ [0x2000, +0x1000): completed',
          ' [0x0, +0x4000): detached',
          ' COMPLETE [0x0, +0x0): sent',
        ],
      );
      // The supply's line comes before the syscall's own (the syscall is told once it returned).
      const supplied = lines.findIndex((l) => l.endsWith('supplied'));
      assert.match(lines[supplied + 2]!, /zx_pager_supply_pages\(.*\) = ZX_OK/);
      assert.match(
        text.stdout,
        /faults {4}4 taken \(waiting_on_pager ×2, mapped ×2\), 2 page requests sent/,
      );

      assert.equal(json.code, 0, json.stderr);
      const events = json.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      const kinds = new Set(events.map((e) => e.kind));
      assert.deepEqual([...kinds].sort(), ['fault', 'page_request', 'syscall']);
      const fault = events.find((e) => e.kind === 'fault');
      assert.deepEqual(Object.keys(fault), [
        'kind',
        'process',
        'address',
        'access',
        'vmoKoid',
        'vmoOffset',
        'result',
        'status',
        'statusName',
      ]);
      assert.equal(fault.result, 'waiting_on_pager');
      assert.equal(fault.statusName, 'ZX_ERR_SHOULD_WAIT');
      const sent = events.find((e) => e.kind === 'page_request');
      assert.deepEqual(sent, {
        kind: 'page_request',
        action: 'sent',
        command: 'READ',
        pagerKoid: sent.pagerKoid,
        vmoKoid: fault.vmoKoid,
        offset: '0x1000',
        length: '0x1000',
      });
    });

    it('takes --memory and --seed, and a scenario may ask for its own memory size', async () => {
      const [small, seeded, pressure] = await Promise.all([
        zxvm(['run', 'examples/cow-faults.ts', '--memory', '64M']),
        zxvm(['run', 'examples/snapshots.ts', '--json', '--seed', '7']),
        zxvm(['run', 'examples/discardable-pressure.ts']),
      ]);
      assert.equal(small.code, 0, small.stderr);
      assert.match(small.stdout, /free of 65,536 KiB/);
      // The first handle value is the one a kernel with the same seed gives here.
      const kernel = new Kernel({ seed: 7 });
      const out = { value: 0 };
      kernel.createProcess().syscalls.zx_vmo_create(16384, 0, out);
      const first = JSON.parse(seeded.stdout.split('\n')[0]!).outs.out;
      assert.equal(first, `0x${out.value.toString(16)}`);
      assert.equal(pressure.code, 0, pressure.stderr);
      assert.match(pressure.stdout, /free of 32,768 KiB/);
      assert.match(pressure.stdout, /TRY_LOCK: ZX_ERR_UNAVAILABLE/);
    });

    it('runs a plain JavaScript scenario', async () => {
      const { code, stdout } = await zxvm(['run', join(fixtures, 'plain.mjs')]);
      assert.equal(code, 0);
      assert.match(stdout, /plain done/);
      assert.match(stdout, /syscalls {2}2 made, no error returned/);
    });
  });

  describe('exit code 1: the scenario failed', CONCURRENT, () => {
    const cases: [string, RegExp][] = [
      ['throws.ts', /the scenario threw:\nError: boom from the scenario/],
      ['rejects.mjs', /the scenario threw:\nError: async boom/],
      ['check-fails.ts', /ZxError: zx_vmo_read failed: ZX_ERR_BAD_HANDLE/],
      ['never.mjs', /the scenario never finished/],
      ['no-default.mjs', /has no default export of a function/],
      ['broken.ts', /could not load/],
    ];
    for (const [file, message] of cases) {
      it(file, async () => {
        const { code, stdout, stderr } = await zxvm(['run', join(fixtures, file)]);
        assert.equal(code, 1, stderr);
        assert.match(stderr, message);
        if (file === 'check-fails.ts') {
          // A scenario that ran and failed still gets its summary.
          assert.match(stdout, /check-fails\.ts: failed in/);
          assert.match(stdout, /1 made, 1 returned an error \(ZX_ERR_BAD_HANDLE ×1\)/);
        }
      });
    }
  });

  describe('exit code 2: usage errors', CONCURRENT, () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: zxvm <command>/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
      [['run'], /which script\?/],
      [['run', 'a.ts', 'b.ts'], /one script at a time/],
      [['run', 'examples/none.ts'], /examples\/none\.ts: no such file/],
      [['run', 'README.md'], /a scenario is a \.js, \.mjs or \.ts file/],
      [['run', 'examples/snapshots.ts', '--tracing'], /Unknown option '--tracing'/],
      [['run', 'examples/snapshots.ts', '--memory', 'lots'], /--memory wants a size/],
      [['run', 'examples/snapshots.ts', '--memory', '4K'], /--memory 4K: memoryBytes must be/],
      [['run', 'examples/snapshots.ts', '--seed', '-1'], /--seed/],
      [['help', 'frobnicate'], /no command 'frobnicate'/],
      [['inspect'], /which script\?/],
      [['inspect', 'a.ts', 'b.ts'], /one script at a time/],
      [['serve'], /which script\?/],
      [['bench', '--fast'], /Unknown option '--fast'/],
    ];
    for (const [args, message] of cases) {
      it(`zxvm ${args.join(' ')}`, async () => {
        const { code, stdout, stderr } = await zxvm(args);
        assert.equal(code, 2, stderr);
        assert.equal(stdout, '');
        assert.match(stderr, message);
      });
    }

    it('zxvm bench with a name that matches no benchmark', async () => {
      const { code, stderr } = await zxvm(['bench', 'no-such-benchmark']);
      assert.equal(code, 2);
      assert.match(stderr, /no bench\/\*\.bench\.ts matches no-such-benchmark/);
    });
  });

  describe('inspect', CONCURRENT, () => {
    it('prints the states the scenario inspected and the end, as trees and tables', async () => {
      const { code, stdout, stderr } = await zxvm(['inspect', 'examples/snapshots.ts']);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '');
      assert.ok(!stdout.includes(ESC), 'no colour in a pipe');
      assert.match(
        stdout,
        /^== examples\/snapshots\.ts: three snapshots, written on both sides \(1 of 2\) ==$/m,
      );
      assert.match(stdout, /^== examples\/snapshots\.ts: end \(2 of 2\) ==$/m);
      const first = stdout.slice(0, stdout.indexOf('(2 of 2)'));
      for (const section of [
        'Jobs, processes and handles',
        'Copy-on-write trees',
        'Attribution (ZX_INFO_VMO, bytes)',
        'Address spaces',
        'Physical memory (ZX_INFO_KMEM_STATS)',
      ]) {
        assert.ok(first.includes(section), section);
      }
      // Three hidden nodes in a chain, the VMOs as leaves, their pages as runs.
      assert.equal(first.match(/#\d+ hidden/g)?.length, 3);
      assert.match(first, /^ {2}#\d+ hidden {2}4 pages; 1 frame$/m);
      assert.match(first, /└─ #\d+ VMO \d+ {2}4 pages at \+0, limit 4; 0 frames, 1 page seen/);
      assert.match(first, /page 0: seen in #\d+ \(frame \d+\)/);
      assert.match(first, /^ {2}\d+ +snapshot +16384 +8192 +8192 +8192 +0 +\d+ +1 +0$/m);
      assert.match(first, /0x[\da-f]+ +vmo +\d+ +DUPLICATE \| TRANSFER \| READ/);
      // The scenario's own output comes first, as with zxvm run.
      assert.match(stdout, /^original {4}page 0: "version 4"/);
    });

    it('prints the snapshots as JSON Lines with --json, the scenario output on stderr', async () => {
      const { code, stdout, stderr } = await zxvm(['inspect', 'examples/cow-faults.ts', '--json'], {
        via: 'source',
      });
      assert.equal(code, 0, stderr);
      const snapshots = stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        snapshots.map((s) => [s.version, s.label]),
        [
          [2, 'the snapshot mapped: one page forked by a fault, one by the parent'],
          [2, 'end'],
        ],
      );
      const [mapped, end] = snapshots;
      assert.equal(mapped.nodes.filter((n: { hidden: boolean }) => n.hidden).length, 1);
      assert.equal(mapped.vmos.length, 2);
      assert.equal(mapped.memory.kmem.vmo_bytes, String(6 * 4096));
      assert.equal(end.vmos.length, 0);
      assert.match(stderr, /store to page 0 \(copy-on-write fault\)/);
    });

    it('colours with FORCE_COLOR, and --final shows the end only', async () => {
      const [coloured, final] = await Promise.all([
        zxvm(['inspect', 'examples/slice-in-mapping.ts'], { env: { FORCE_COLOR: '1' } }),
        zxvm(['inspect', 'examples/slice-in-mapping.ts', '--final']),
      ]);
      assert.equal(coloured.code, 0, coloured.stderr);
      assert.ok(coloured.stdout.includes(`${ESC}1m`), 'bold titles');
      assert.match(stripColour(coloured.stdout), /mapping 0x[\da-f]+-0x[\da-f]+ VMO \d+ \+0x0/);
      assert.equal(final.code, 0);
      assert.equal(final.stdout.match(/^== /gm)?.length, 1);
      assert.match(final.stdout, /: end \(1 of 1\) ==/);
    });

    it('shows where a failing scenario stopped, with exit code 1', async () => {
      const { code, stdout, stderr } = await zxvm(['inspect', join(fixtures, 'throws.ts')]);
      assert.equal(code, 1);
      assert.match(stderr, /the scenario threw:\nError: boom from the scenario/);
      assert.match(stdout, /throws\.ts: where it failed \(1 of 1\) ==/);
    });
  });

  describe('serve', CONCURRENT, () => {
    /** Starts zxvm serve; resolves with the URL it prints and the running child. */
    function serve(args: string[]) {
      const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: repo });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      const url = new Promise<string>((found, failed) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const match = /http:\/\/127\.0\.0\.1:\d+\/#\S*/.exec(stdout);
          if (match !== null) found(match[0]);
        });
        child.on('exit', () => failed(new Error(`serve exited: ${stderr}`)));
      });
      return { child, url, exited, output: () => ({ stdout, stderr }) };
    }

    it('serves the page on 127.0.0.1 with the scenario preselected, until Ctrl-C', async () => {
      const served = serve([join(fixtures, 'plain.mjs')]);
      const url = await served.url;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#plain$/);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>zxvm inspector<\/title>/);
      const script = await (await fetch(new URL('main.js', url))).text();
      assert.match(script, /PRESELECTED = "plain"/);
      assert.match(script, /plain done/, "the scenario's code is in the page");
      assert.equal((await fetch(new URL('/../package.json', url))).status, 404);
      served.child.kill('SIGINT');
      assert.equal(await served.exited, 0);
      assert.match(served.output().stderr, /stopped/);
    });

    it('takes --port, and refuses a port that is no port', async () => {
      const { code, stderr } = await zxvm(['serve', 'examples/snapshots.ts', '--port', '70000']);
      assert.equal(code, 2);
      assert.match(stderr, /--port wants a port number/);
    });

    it('fails with exit code 1 when the scenario cannot run in a browser', async () => {
      writeFileSync(
        join(fixtures, 'needs-fs.mjs'),
        "import { readFileSync } from 'node:fs';\nexport default () => readFileSync;\n",
      );
      const { code, stderr } = await zxvm(['serve', join(fixtures, 'needs-fs.mjs')]);
      assert.equal(code, 1);
      assert.match(stderr, /the page could not be built/);
    });
  });
});
