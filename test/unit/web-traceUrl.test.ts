import { traceUrl } from '../../web/src/graph/NodeTraceIds';

describe("a node's link to the team's trace UI", () => {
  it('puts the trace id where the template says, every time it says so', () => {
    expect(traceUrl('http://jaeger:16686/trace/{trace_id}', 'abc123')).toBe('http://jaeger:16686/trace/abc123');
    expect(traceUrl('https://ui/{trace_id}?q={trace_id}', 'ff00')).toBe('https://ui/ff00?q=ff00');
  });

  it('gives no link without a template', () => {
    expect(traceUrl(null, 'abc123')).toBeNull();
    expect(traceUrl(undefined, 'abc123')).toBeNull();
  });
});
