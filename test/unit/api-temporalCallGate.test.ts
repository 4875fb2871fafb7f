import { Metadata, status, type Interceptor, type InterceptorOptions, type StatusObject } from '@grpc/grpc-js';
import { createTemporalCallGate } from '../../api/temporalCallGate';

/**
 * The API's Temporal connection may close only once no call is in flight: closing cancels the
 * calls in flight (and any started meanwhile) and resolves when each has ended. The calls here
 * go through the gate's tracking interceptor to a fake wire that ends a call when told to.
 */
type NextCall = Parameters<Interceptor>[1];
type WireCall = ReturnType<NextCall> & { end(code: status, details: string): void; ended: StatusObject | null };

function fakeWire() {
  const calls: WireCall[] = [];
  const nextCall: NextCall = () => {
    let onStatus: (ended: StatusObject) => void = () => undefined;
    const call: WireCall = {
      ended: null,
      start: (_metadata, listener) => {
        onStatus = (ended) => listener?.onReceiveStatus?.(ended);
      },
      end(code, details) {
        if (call.ended) return;
        call.ended = { code, details, metadata: new Metadata() };
        onStatus(call.ended);
      },
      cancelWithStatus: (code, details) => call.end(code, details),
      getPeer: () => 'fake',
      sendMessageWithContext: () => undefined,
      sendMessage: () => undefined,
      startRead: () => undefined,
      halfClose: () => undefined,
      getAuthContext: () => null,
    };
    calls.push(call);
    return call;
  };
  return { calls, nextCall };
}

function startCall(track: Interceptor, nextCall: NextCall) {
  const seen: StatusObject[] = [];
  const call = track({} as InterceptorOptions, nextCall);
  call.start(new Metadata(), { onReceiveStatus: (ended) => seen.push(ended) });
  return seen;
}

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

test('closing cancels the calls in flight, and resolves once each has ended', async () => {
  const gate = createTemporalCallGate();
  const [track] = gate.interceptors;
  const wire = fakeWire();
  const finished = startCall(track, wire.nextCall);
  wire.calls[0].end(status.OK, '');
  const inFlight = startCall(track, wire.nextCall);
  // A call that ignores the cancellation (its answer is on the way) holds the close until it ends.
  const stubborn = startCall(track, wire.nextCall);
  wire.calls[2].cancelWithStatus = () => undefined;

  const closed = gate.close();
  expect(inFlight.map((s) => [s.code, s.details])).toEqual([[status.CANCELLED, 'the Temporal connection is closing']]);
  expect(finished.map((s) => s.code)).toEqual([status.OK]);
  expect(await settled(closed)).toBe(false);
  wire.calls[2].end(status.OK, '');
  expect(stubborn.map((s) => s.code)).toEqual([status.OK]);
  expect(await settled(closed)).toBe(true);
  expect(gate.close()).toBe(closed);
});

test('a call started while the gate closes is cancelled too, and the close waits for it', async () => {
  const gate = createTemporalCallGate();
  const [track] = gate.interceptors;
  const wire = fakeWire();
  startCall(track, wire.nextCall);
  wire.calls[0].cancelWithStatus = () => undefined;
  const closed = gate.close();
  const late = startCall(track, wire.nextCall);
  expect(late.map((s) => s.code)).toEqual([status.CANCELLED]);
  expect(await settled(closed)).toBe(false);
  wire.calls[0].end(status.OK, '');
  expect(await settled(closed)).toBe(true);
});

test('closing with nothing in flight resolves at once', async () => {
  const gate = createTemporalCallGate();
  expect(await settled(gate.close())).toBe(true);
});
