/**
 * A plot's card: its caption, and a box whose measured width the chart is drawn at (visx's own
 * ParentSize measures a box of no height inside a card of auto height, and draws nothing).
 */
import { useRef, type ReactNode } from 'react';
import { useElementSize } from '../layout/useElementSize';

export function ChartFrame({
  caption,
  testId,
  attributes = {},
  children,
}: {
  caption: ReactNode;
  testId: string;
  attributes?: Record<`data-${string}`, string | number>;
  children(width: number): ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(box, { width: 0, height: 0 });
  return (
    <figure className="trend-chart" data-testid={testId} {...attributes}>
      <figcaption>{caption}</figcaption>
      <div ref={box} className="trend-canvas">
        {width > 0 ? children(width) : null}
      </div>
    </figure>
  );
}
