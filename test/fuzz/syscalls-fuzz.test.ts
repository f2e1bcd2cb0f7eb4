// Fuzzing the syscall surface from the syscall table (src/abi/syscalls/): every entry is called
// with arguments made from its parameters alone (handles picked by the object type and rights
// its entry names, options from its flag domains, sizes that go with their buffers) and with
// garbage of every sort in every position (test/fuzz/garbage.ts: issue 8's attack kinds). A
// syscall never throws (the contract, section 2); each call must return a status its entry
// lists, keep the handle table honest, return in reasonable time, and leave the kernel working:
// once every handle is closed (or the fuzzed process is killed), every page is free again.
// Host memory of any realm or subclass must work as a plain Uint8Array does. Deterministic:
// ZXVM_FUZZ_SEED for another run, ZXVM_FUZZ_CALLS (random calls per syscall) and
// ZXVM_FUZZ_CHURN (handle cycles) for a longer one, ZXVM_FUZZ_STATS to print how often each
// syscall returned each status, ZXVM_FUZZ_TRACE to print every call before it is made,
// ZXVM_FUZZ_SLOW_MS for the time a call may take (five times that, the watchdog stops it).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { ZX_OK, ZX_STATUS_NAMES } from '../../src/abi/constants.ts';
import { flagValues, nameFlags } from '../../src/abi/flags.ts';
import { ANY_OBJECT, type SyscallSpec } from '../../src/abi/syscall-spec.ts';
import { SYSCALL_SPECS, SYSCALLS } from '../../src/abi/syscalls/index.ts';
import { Kernel } from '../../src/kernel.ts';
import { type Arg, ArgMaker, UNSET } from './arguments.ts';
import { Caller, churn, describeProblems, drive, type Problem } from './calls.ts';
import {
  BUFFER_GARBAGE,
  garbage,
  generator,
  HOST_MEMORY_FORMS,
  plainView,
  SCALAR_GARBAGE,
} from './garbage.ts';
import { PAGE, World } from './world.ts';

const SEED = Number(process.env.ZXVM_FUZZ_SEED ?? 0x5ca1_ab1e);
/** Random calls per syscall in the long run. */
const CALLS = Number(process.env.ZXVM_FUZZ_CALLS ?? 1500);
/** Duplicate/replace/close cycles interleaved with the long run's calls. */
const CHURN = Number(process.env.ZXVM_FUZZ_CHURN ?? 40_000);
const SEED_HINT = `ZXVM_FUZZ_SEED=${SEED}`;
/** Calls between two rounds of upkeep of the world (pool, spare VMAR, memory). */
const UPKEEP = 64;

const OUTCOMES: Map<string, number>[] = [];

function pick<T>(rand: () => number, values: readonly T[]): T {
  return values[Math.floor(rand() * values.length)]!;
}

function expectNoProblems(problems: readonly Problem[]): void {
  assert.equal(problems.length, 0, describeProblems(problems, SEED_HINT));
}

/**
 * A world with the maker and the caller that work on it. A call the watchdog stopped leaves
 * its world half-changed: `renew` reports that call and goes on in a new world.
 */
class Session {
  world: World;
  readonly maker: ArgMaker;
  readonly caller: Caller;
  private readonly seed: number;
  private worlds = 1;

  constructor(seed: number, rand: () => number) {
    this.seed = seed;
    this.world = new World(seed, generator(seed));
    this.maker = new ArgMaker(this.world, rand);
    this.caller = new Caller(this.world);
    OUTCOMES.push(this.caller.outcomes);
  }

  /** A new world after a stuck call (reported) or after a call killed the fuzzed process. */
  renew(): void {
    this.caller.reportStuck();
    const seed = this.seed + 1000 * this.worlds++;
    this.world = new World(seed, generator(seed));
    this.maker.world = this.world;
    this.caller.world = this.world;
  }
}

describe('syscall fuzzing', () => {
  after(() => {
    if (process.env.ZXVM_FUZZ_STATS === undefined) return;
    const all = new Map<string, number>();
    for (const outcomes of OUTCOMES) {
      for (const [k, v] of outcomes) all.set(k, (all.get(k) ?? 0) + v);
    }
    console.log(
      [...all]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
  });

  // What the fuzzer takes from the table beyond test/abi/syscall-table.test.ts's checks.
  it('finds in the table all it makes arguments from: bound names, types, rights, flags, sizes', () => {
    const sys = new Kernel({ memoryBytes: 1 << 20 }).createProcess().syscalls;
    const bound = Object.keys(sys as unknown as Record<string, unknown>);
    assert.deepEqual(bound.sort(), Object.keys(SYSCALL_SPECS).sort(), 'the bound syscalls');
    for (const spec of SYSCALLS) {
      for (const param of spec.params) {
        const what = `${spec.name}(${param.name})`;
        if (param.kind === 'handle') {
          const named =
            param.type === ANY_OBJECT || !nameFlags('obj_type', param.type).startsWith('0x');
          assert.ok(named, `${what}: object type ${param.type}`);
          assert.ok(!nameFlags('rights', param.rights).includes('0x'), `${what}: rights`);
        } else if (param.kind === 'u32' && param.flags !== null) {
          assert.ok(flagValues(param.flags).length > 0, `${what}: flag domain ${param.flags}`);
        } else if (param.kind === 'buffer_in' || param.kind === 'buffer_out') {
          const size = spec.params.find((p) => p.name === param.size);
          assert.ok(size?.kind === 'u32' || size?.kind === 'u64', `${what}: size ${param.size}`);
        }
      }
    }
  });

  it('never misbehaves when one parameter at a time is garbage and the others are sane', () => {
    const session = new Session(SEED, generator(SEED + 1));
    const junk = garbage();
    function* tasks() {
      for (const spec of SYSCALLS) {
        for (const [position, param] of spec.params.entries()) {
          for (const j of junk) yield { spec, position, param, j };
        }
      }
    }
    const queue = tasks();
    drive(
      () => {
        const next = queue.next();
        if (next.done) return false;
        const { spec, position, param, j } = next.value;
        const args = session.maker.sane(spec);
        args[position] = session.maker.junk(j, param);
        session.caller.call(spec, args, `one bad parameter: ${param.name} = ${j.code}`);
        if (session.world.dead) session.renew();
        else if (session.caller.calls % UPKEEP === 0) session.world.maintain();
        return true;
      },
      () => session.renew(),
    );
    expectNoProblems(session.caller.problems);
    session.world.finish();
  });

  it('never misbehaves over a long run of random calls with handles made, duplicated, replaced and closed', () => {
    const rand = generator(SEED + 3);
    const session = new Session(SEED + 2, rand);
    const total = CALLS * SYSCALLS.length;
    const churnRate = CHURN / total;
    let cycles = 0;
    let i = 0;
    drive(
      () => {
        if (i >= total) return false;
        const n = i++;
        const { world, maker, caller } = session;
        const spec = pick(rand, SYSCALLS);
        const args = maker.random(spec);
        if (caller.call(spec, args, `random call #${n}`) === ZX_OK) maker.remember(spec, args);
        if (world.dead) {
          session.renew();
          return true;
        }
        for (let c = churnRate; c > 0 && (c >= 1 || rand() < c); c--) {
          churn(world, caller, rand, `handle cycle #${cycles++} after random call #${n}`);
        }
        if (n % UPKEEP === 0) world.maintain();
        return true;
      },
      () => session.renew(),
    );
    expectNoProblems(session.caller.problems);
    assert.ok(cycles >= CHURN * 0.9, `only ${cycles} handle cycles`);
    session.world.finish();
  });

  it('takes host memory of any realm or Uint8Array subclass as it takes a plain Uint8Array', () => {
    const problems: Problem[] = [];
    for (const spec of SYSCALLS) {
      if (!spec.params.some((p) => p.kind.startsWith('buffer_') || p.kind.startsWith('struct_'))) {
        continue;
      }
      problems.push(...lockstep(spec));
    }
    expectNoProblems(problems);
  });

  it('never throws from load and store, and takes host memory of any form there too', () => {
    const world = new World(SEED + 4, generator(SEED + 4));
    const rand = generator(SEED + 5);
    const problems = new Map<string, string>();
    const problem = (key: string, text: string) => {
      if (!problems.has(key)) problems.set(key, text);
    };
    const vaddrs = [...world.addresses, 0n, 8n, 1n << 47n];
    for (let i = 0; i < 3000; i++) {
      const which = rand() < 0.5 ? 'load' : 'store';
      const length = pick(rand, [0, 1, 8, 100, PAGE, 3 * PAGE]);
      const r = rand();
      let vaddr: unknown = pick(rand, vaddrs) + BigInt(pick(rand, [0, 5, PAGE - 3]));
      let vaddrCode = `${vaddr}n`;
      if (r < 0.2) {
        const j = pick(rand, SCALAR_GARBAGE);
        [vaddr, vaddrCode] = [j.make(), j.code];
      } else if (r < 0.4) {
        vaddr = Number(vaddr);
        vaddrCode = String(vaddr);
      }
      const junk = rand() < 0.3 ? pick(rand, BUFFER_GARBAGE) : null;
      const form = pick(rand, HOST_MEMORY_FORMS);
      const plain = Uint8Array.from({ length }, (_, k) => (k * 13 + i) & 0xff);
      const other = junk === null ? form.make(length) : (junk.make() as Uint8Array);
      if (junk === null) Uint8Array.prototype.set.call(other, plain);
      const otherCode = junk === null ? form.code(length) : junk.code;
      const kind = `${which} ${(junk?.code ?? form.code(0)).replace(/\d+/g, 'n')}`;
      const statuses: (number | 'threw')[] = [];
      for (const [bytes, code] of [
        [plain, `new Uint8Array(${length})`],
        [other, otherCode],
      ] as const) {
        try {
          const status = world.proc[which](vaddr as bigint, bytes);
          if (ZX_STATUS_NAMES[status] === undefined) {
            problem(`${kind} status`, `proc.${which}(${vaddrCode}, ${code}) returned ${status}`);
          }
          statuses.push(status);
        } catch (error) {
          problem(`${kind} threw`, `proc.${which}(${vaddrCode}, ${code}) threw ${String(error)}`);
          statuses.push('threw');
        }
      }
      const [a, b] = statuses;
      if (junk === null && a !== b && a !== 'threw' && b !== 'threw') {
        const [x, y] = [a, b].map((s) => ZX_STATUS_NAMES[s as number]);
        problem(
          kind,
          `proc.${which}(${vaddrCode}, ${otherCode}): ${y} where a plain Uint8Array gives ${x}`,
        );
      }
    }
    const found = [...problems.values()];
    assert.equal(found.length, 0, `${found.length} kinds of bad access:\n${found.join('\n')}`);
    world.finish();
  });
});

/**
 * Two worlds in lockstep: the same calls, one with plain Uint8Arrays, the other with the same
 * bytes in another form of host memory. Statuses, out values and the bytes must agree.
 */
function lockstep(spec: SyscallSpec): Problem[] {
  const seed = SEED + 6;
  const problems: Problem[] = [];
  const reported = new Set<string>();
  let pair: { worlds: [World, World]; maker: ArgMaker; callers: [Caller, Caller] } | undefined;
  const end = (finish: boolean) => {
    if (pair === undefined) return;
    if (finish) for (const world of pair.worlds) world.finish();
    problems.push(...pair.callers[0].problems, ...pair.callers[1].problems);
    pair = undefined;
  };
  let i = 0;
  const step = (): boolean => {
    if (i >= 20 * HOST_MEMORY_FORMS.length) return false;
    const n = i++;
    const form = HOST_MEMORY_FORMS[n % HOST_MEMORY_FORMS.length]!;
    const formName = form.code(0).replace('0', 'n');
    if (reported.has(formName)) return true;
    if (pair === undefined) {
      const worlds: [World, World] = [
        new World(seed, generator(seed)),
        new World(seed, generator(seed)),
      ];
      const callers: [Caller, Caller] = [new Caller(worlds[0]), new Caller(worlds[1])];
      pair = { worlds, maker: new ArgMaker(worlds[0], generator(seed + n)), callers };
    }
    const { maker, callers } = pair;
    const argsA = maker.sane(spec);
    const argsB = argsA.map((arg): Arg => {
      if (arg.out === 'writable') return { ...arg, value: { value: UNSET } };
      if (arg.hostBytes === undefined) return arg;
      const plain = arg.value as Uint8Array;
      for (let k = 0; k < plain.length; k++) plain[k] = (k * 31 + n) & 0xff;
      const other = form.make(plain.length);
      Uint8Array.prototype.set.call(other, plain);
      return { ...arg, value: other, code: form.code(plain.length) };
    });
    const where = `lockstep call #${n}`;
    const statusA = callers[0].call(spec, argsA, where);
    const statusB = callers[1].call(spec, argsB, where);
    const differences: string[] = [];
    if (statusA !== statusB) {
      const [a, b] = [statusA, statusB].map((s) => ZX_STATUS_NAMES[s!] ?? String(s));
      differences.push(`${b} where a plain Uint8Array gives ${a}`);
    }
    argsA.forEach((arg, k) => {
      const other = argsB[k]!.value;
      if (arg.hostBytes !== undefined) {
        const [x, y] = [plainView(arg.value as Uint8Array), plainView(other as Uint8Array)];
        if (Buffer.compare(x, y) !== 0) differences.push(`other bytes in ${spec.params[k]!.name}`);
      } else if (arg.out === 'writable') {
        const x = (arg.value as { value: unknown }).value;
        const y = (other as { value: unknown }).value;
        if (x !== y) differences.push(`${spec.params[k]!.name} = ${String(y)}, not ${String(x)}`);
      }
    });
    if (differences.length > 0) {
      reported.add(formName);
      const problem = `host memory as ${formName}: ${differences.join('; ')}`;
      callers[1].report(spec, argsB, problem, where);
      end(true); // the two worlds differ from here on: start again
    }
    return true;
  };
  drive(step, () => {
    for (const caller of pair?.callers ?? []) caller.reportStuck();
    end(false);
  });
  end(true);
  return problems;
}
