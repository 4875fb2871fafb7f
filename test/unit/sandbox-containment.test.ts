import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveLimits } from '../../sandbox/contract';
import { runInSandbox } from '../../sandbox/runInSandbox';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { SandboxPool, sandboxPool } from '../../sandbox/sandboxPool';

afterAll(() => sandboxPool.close());

/** A component file whose run() body is `body`. */
const candidate = (body: string, topLevel = '') =>
  `${topLevel}\nvar component = { name: 'candidate', type: 'tool', description: 'd', input_schema: { type: 'object' }, run: function (input, params) { ${body} } };`;

const ECHO = candidate('return { input: input, params: params };');

describe('runInSandbox: normal runs', () => {
  it('passes JSON copies of input and params and returns the JSON output', async () => {
    const result = await runInSandbox({ code: ECHO, input: { a: [1, 'two', null] }, params: { p: 3 } });
    expect(result).toEqual({
      ok: true,
      output: { input: { a: [1, 'two', null] }, params: { p: 3 } },
      durationMs: expect.any(Number),
    });
  });

  it('fills params from tunable defaults, letting given params win', async () => {
    const code = `var component = { name: 't', type: 'tool', description: 'd', input_schema: { type: 'object' },
      tunables: { a: { default: 1, min: 0, max: 5 }, b: { default: 2, min: 0, max: 5 } },
      run: function (input, params) { return params; } };`;
    expect(await runInSandbox({ code, input: null, params: { b: 4 } })).toMatchObject({ ok: true, output: { a: 1, b: 4 } });
  });

  it('accepts a top-level const component', async () => {
    const code = `const helper = (x) => x * 2; const component = { run: (input) => helper(input) };`;
    expect(await runInSandbox({ code, input: 21 })).toMatchObject({ ok: true, output: 42 });
  });

  it('reads a manifest without its functions', async () => {
    expect(await readComponentManifest(ECHO)).toEqual({
      name: 'candidate',
      type: 'tool',
      description: 'd',
      input_schema: { type: 'object' },
    });
  });
});

describe('runInSandbox: hostile candidates are contained', () => {
  it('stops an infinite loop with failure "timeout"', async () => {
    const result = await runInSandbox({ code: candidate('while (true) {}'), input: null, limits: { timeoutMs: 200 } });
    expect(result).toMatchObject({ ok: false, failure: 'timeout' });
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('stops an infinite loop at load time, and in a microtask', async () => {
    expect(
      await runInSandbox({ code: candidate('return 1', 'for (;;) {}'), input: null, limits: { timeoutMs: 200 } }),
    ).toMatchObject({ ok: false, failure: 'timeout' });
    expect(
      await runInSandbox({
        code: candidate('Promise.resolve().then(function () { for (;;) {} }); return 1'),
        input: null,
        limits: { timeoutMs: 200 },
      }),
    ).toMatchObject({ ok: false, failure: 'timeout' });
  });

  it('stops a memory bomb with failure "memory"', async () => {
    const bombs = [
      'var hoard = []; for (;;) hoard.push(new Array(100000).fill(1));',
      'var s = "x"; var parts = []; for (;;) { parts.push(s.repeat(1000000) + parts.length); }',
      'return new ArrayBuffer(512 * 1024 * 1024).byteLength;',
    ];
    // A generous time budget, so that on a loaded machine the heap limit, not the clock, stops them.
    for (const body of bombs) {
      expect(await runInSandbox({ code: candidate(body), input: null, limits: { timeoutMs: 20_000 } })).toMatchObject({
        ok: false,
        failure: 'memory',
      });
    }
  });

  it('cannot reach WebAssembly memory outside the heap limit', async () => {
    const result = await runInSandbox({
      code: candidate('return new WebAssembly.Memory({ initial: 1000 }).buffer.byteLength;'),
      input: null,
    });
    expect(result).toMatchObject({ ok: false, failure: 'error', error: expect.stringMatching(/WebAssembly is not defined/) });
  });

  it.each([
    ['require', "return require('fs').readFileSync('/etc/passwd', 'utf8');", /require is not defined/],
    ['process', 'return process.env;', /process is not defined/],
    [
      'the host through the Function constructor',
      "return globalThis.constructor.constructor('return process')().env;",
      /process is not defined/,
    ],
    ['the host through an input object', 'return input.constructor.constructor("return process")();', /process is not defined/],
    ['timers', 'setTimeout(function () {}, 0); return 1;', /setTimeout is not defined/],
    ['fetch', "return fetch('http://example.com');", /fetch is not defined/],
  ])('cannot reach %s', async (_what, body, message) => {
    const result = await runInSandbox({ code: candidate(body), input: {} });
    expect(result).toMatchObject({ ok: false, failure: 'error', error: expect.stringMatching(message) });
  });

  it('keeps prototype pollution inside the isolate', async () => {
    const code = candidate(
      "Object.prototype.polluted = 'yes'; Array.prototype.push = null; JSON.parse = null; return { seen: ({}).polluted };",
      "Object.prototype.toString = function () { return 'hacked'; };",
    );
    expect(await runInSandbox({ code, input: null })).toMatchObject({ ok: true, output: { seen: 'yes' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(JSON.parse('{"fine":true}')).toEqual({ fine: true });
    expect(await runInSandbox({ code: ECHO, input: 1 })).toMatchObject({ ok: true, output: { input: 1, params: {} } });
  });

  it('refuses output over the limit with failure "output_too_large"', async () => {
    expect(await runInSandbox({ code: candidate("return 'x'.repeat(300 * 1024);"), input: null })).toMatchObject({
      ok: false,
      failure: 'output_too_large',
    });
    // Under the limit in characters, over it in UTF-8 bytes.
    expect(
      await runInSandbox({ code: candidate("return 'é'.repeat(200);"), input: null, limits: { maxOutputBytes: 300 } }),
    ).toMatchObject({ ok: false, failure: 'output_too_large' });
  });

  it('reports throws, including hostile thrown values, as failure "error"', async () => {
    const cases: Array<[string, RegExp]> = [
      ["throw new Error('bad input');", /^bad input$/],
      ["throw new TypeError('wrong type');", /^TypeError: wrong type$/],
      ["throw 'a string';", /^a string$/],
      ['throw { not: "an error" };', /object Object/],
      ['function f() { f(); } f();', /Maximum call stack/],
      ["var e = new Error('x'); Object.defineProperty(e, 'message', { get: function () { for (;;) {} } }); throw e;", /.*/],
      [
        "throw new Proxy({}, { get: function () { throw new Error('trap'); }, getPrototypeOf: function () { throw new Error('trap'); } });",
        /cannot be described/,
      ],
    ];
    for (const [body, message] of cases) {
      const result = await runInSandbox({ code: candidate(body), input: null, limits: { timeoutMs: 300 } });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(['error', 'timeout']).toContain(result.failure);
        expect(result.error).toMatch(message);
      }
    }
  });

  it('refuses a promise and non-JSON output', async () => {
    expect(await runInSandbox({ code: candidate('return Promise.resolve(1);'), input: null })).toMatchObject({
      ok: false,
      failure: 'error',
      error: expect.stringMatching(/not a promise/),
    });
    expect(await runInSandbox({ code: candidate('var a = {}; a.self = a; return a;'), input: null })).toMatchObject({
      ok: false,
      failure: 'error',
      error: expect.stringMatching(/not JSON-serialisable/),
    });
  });

  it.each([
    ['a syntax error', 'var component = {', /failed to load/],
    ['no component', 'var x = 1;', /must define var component/],
    ['no run function', "var component = { name: 'x' };", /must define var component/],
    ['a throwing top level', "throw new Error('boom');", /failed to load: boom/],
    ['an attempt to escape the function body', '}); var escaped = (function () {', /failed to load/],
  ])('reports %s as "invalid_component"', async (_what, code, message) => {
    expect(await runInSandbox({ code, input: null })).toMatchObject({
      ok: false,
      failure: 'invalid_component',
      error: expect.stringMatching(message),
    });
  });

  it('refuses input that is not JSON', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await runInSandbox({ code: ECHO, input: cyclic })).toMatchObject({ ok: false, failure: 'error' });
  });

  it('leaves the process healthy: the next good run works', async () => {
    const runs = await Promise.all([1, 2, 3].map((n) => runInSandbox({ code: ECHO, input: n })));
    expect(runs.map((r) => r.ok && (r.output as { input: number }).input)).toEqual([1, 2, 3]);
  });
});

/** The pid of the sandbox process running a call, once the call has been handed to it. */
async function busyPid(): Promise<number> {
  for (;;) {
    const pid = sandboxPool.processes().find((p) => p.busy)?.pid;
    if (pid) return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const isGone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

describe('runInSandbox: isolates run in sandbox processes, never in the worker', () => {
  it('ends an isolate that never settles together with its process', async () => {
    // Reporting this unhandled rejection reads `message` with no time limit: a native thread
    // spins on it for good, and only the end of its process stops it.
    const body =
      "var e = new Error('x'); Object.defineProperty(e, 'message', { get: function () { for (;;) {} } }); Promise.reject(e); return 1;";
    const call = runInSandbox({ code: candidate(body), input: null, limits: { timeoutMs: 200 } });
    const pid = await busyPid();
    expect(await call).toMatchObject({ ok: false, failure: 'timeout' });
    expect(isGone(pid)).toBe(true);
    expect(await runInSandbox({ code: ECHO, input: 1 })).toMatchObject({ ok: true });
  });

  it('answers "error" when a sandbox process dies mid-call, and the next call works', async () => {
    const call = runInSandbox({ code: candidate('while (true) {}'), input: null, limits: { timeoutMs: 120_000 } });
    const pid = await busyPid();
    process.kill(pid, 'SIGKILL');
    expect(await call).toMatchObject({ ok: false, failure: 'error', error: 'The sandbox process died: signal SIGKILL' });
    expect(sandboxPool.processes().map((p) => p.pid)).not.toContain(pid);
    expect(await runInSandbox({ code: ECHO, input: 2 })).toMatchObject({ ok: true, output: { input: 2 } });
  });

  it('runs many calls at once through a few processes', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => i);
    const runs = await Promise.all(inputs.map((n) => runInSandbox({ code: ECHO, input: n })));
    expect(runs.map((r) => r.ok && (r.output as { input: number }).input)).toEqual(inputs);
    expect(sandboxPool.processes().length).toBeLessThanOrEqual(2);
  });

  it('replaces a process after its maximum number of calls, or over its memory ceiling', async () => {
    const call = {
      code: 'var component = { run: function () { return 1; } };',
      action: 'return component.run();',
      argsJson: 'null',
      limits: resolveLimits(),
    };
    /** The pool's process after each call; undefined once it has been retired. */
    const pidsAfterEachCall = async (pool: SandboxPool, calls: number) => {
      const pids: Array<number | undefined> = [];
      for (let i = 0; i < calls; i++) {
        expect(await pool.run(call)).toMatchObject({ ok: true, output: 1 });
        pids.push(pool.processes()[0]?.pid);
      }
      await pool.close();
      return pids;
    };
    const [first, afterSecond, third] = await pidsAfterEachCall(new SandboxPool({ size: 1, maxCallsPerProcess: 2 }), 3);
    expect([typeof first, afterSecond, typeof third]).toEqual(['number', undefined, 'number']);
    expect(third).not.toBe(first);
    expect(await pidsAfterEachCall(new SandboxPool({ size: 1, maxRssBytes: 1 }), 2)).toEqual([undefined, undefined]);
  });

  it('lets a process that used the sandbox exit on its own, without --no-node-snapshot of its own', async () => {
    const script = `require('./sandbox/runInSandbox').runInSandbox({ code: ${JSON.stringify(ECHO)}, input: 7 }).then((r) => console.log(JSON.stringify(r.output)))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, NODE_OPTIONS: '' },
      // Bounds a hang (a process held open by its sandbox processes) so it fails here, not at jest's timeout.
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ input: 7, params: {} });
  });
});
