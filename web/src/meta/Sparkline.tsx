/** A small line chart in plain SVG: the recent history of one figure. */
export function Sparkline({
  values,
  color = '#7c9cff',
  height = 26,
  label,
}: {
  values: number[];
  color?: string;
  height?: number;
  label: string;
}) {
  const width = 100;
  // The same box with or without data, so the first points do not move the layout.
  const frame = { className: 'sparkline', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img' };
  if (values.length < 2) return <svg {...frame} aria-label={`${label}: not enough data yet`} />;
  const max = Math.max(...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(2)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(2)}`);
  const line = points.join(' ');
  const area = `0,${height} ${line} ${width},${height}`;
  return (
    <svg {...frame} aria-label={`${label} trend`}>
      <polygon points={area} fill={color} opacity={0.14} />
      <polyline
        points={line}
        fill="none"
        stroke={color}
        strokeWidth={1.4}
        vectorEffect="non-scaling-stroke"
        strokeLinejoin="round"
      />
    </svg>
  );
}
