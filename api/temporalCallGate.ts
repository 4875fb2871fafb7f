import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * An orderly end for the API's Temporal connection. Closed under a call in flight (a long poll for a
 * workflow's result, a describe of a request the API was still answering), the connection fails that
 * call with UNAVAILABLE; @temporalio/client's retry then fires on a timer and throws "Channel has
 * been shut down" where nothing can catch it, taking down whatever the process does next (in the
 * tests, the next test file of the jest worker). So every call is tracked, from its first attempt to
 * its last retry: closing stops the retries, cancels the calls in flight (and any started meanwhile)
 * and resolves once each has ended; only then may the connection close.
 */
export interface TemporalCallGate {
  /** For `Connection.connect`: the gate around Temporal's default retries, which stop once the gate closes. */
  interceptors: Interceptor[];
  close(): Promise<void>;
}

const CLOSING = 'the Temporal connection is closing';

export function createTemporalCallGate(): TemporalCallGate {
  const inFlight = new Set<InterceptingCall>();
  let closing = false;
  let allEnded: (() => void) | null = null;
  let drained: Promise<void> | null = null;

  const track: Interceptor = (options, nextCall) => {
    const call: InterceptingCall = new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        inFlight.add(call);
        next(metadata, {
          onReceiveStatus(ended, passOn) {
            inFlight.delete(call);
            passOn(ended);
            if (inFlight.size === 0) allEnded?.();
          },
        });
        if (closing) call.cancelWithStatus(status.CANCELLED, CLOSING);
      },
    });
    return call;
  };

  const retries = defaultGrpcRetryOptions();
  const retryUntilClosing = makeGrpcRetryInterceptor({
    ...retries,
    retryableDecider: (attempt, ended) => !closing && retries.retryableDecider(attempt, ended),
  });

  return {
    interceptors: [track, retryUntilClosing],
    close() {
      closing = true;
      drained ??= new Promise<void>((resolve) => {
        allEnded = resolve;
        if (inFlight.size === 0) resolve();
      });
      for (const call of inFlight) call.cancelWithStatus(status.CANCELLED, CLOSING);
      return drained;
    },
  };
}
