/** Hand-drawn SVG charts: bars over days, horizontal bars, a ring. Each has a text equivalent. */
import type { ReactNode } from 'react';

export interface Series {
  key: string;
  label: string;
  className: string;
}

/** Grouped bars per day (e.g. started / completed / failed). */
export function DayBars(props: { days: ({ day: string } & Record<string, number | string>)[]; series: Series[]; title: string }): ReactNode {
  const width = 640;
  const height = 200;
  const pad = { left: 32, right: 8, top: 10, bottom: 24 };
  const max = Math.max(1, ...props.days.flatMap((d) => props.series.map((s) => Number(d[s.key]) || 0)));
  const niceMax = max <= 4 ? max : Math.ceil(max / 4) * 4;
  const band = (width - pad.left - pad.right) / Math.max(1, props.days.length);
  const barWidth = Math.max(2, Math.min(14, (band - 4) / props.series.length));
  const y = (v: number): number => pad.top + (height - pad.top - pad.bottom) * (1 - v / niceMax);
  const ticks = [0, niceMax / 2, niceMax].map((t) => Math.round(t));
  const labelEvery = Math.ceil(props.days.length / 8);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {t}
            </text>
          </g>
        ))}
        {props.days.map((d, i) => {
          const x0 = pad.left + i * band + (band - barWidth * props.series.length) / 2;
          return (
            <g key={d.day}>
              {props.series.map((s, j) => {
                const v = Number(d[s.key]) || 0;
                return (
                  <rect key={s.key} x={x0 + j * barWidth} y={y(v)} width={barWidth - 1} height={Math.max(0, y(0) - y(v))} rx={2} className={s.className}>
                    <title>{`${d.day}: ${v} ${s.label.toLowerCase()}`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 ? (
                <text x={pad.left + i * band + band / 2} y={height - 6} textAnchor="middle" className="axis">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {props.series.map((s) => (
          <span key={s.key}>
            <span className={`swatch ${s.className}`} aria-hidden="true" />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function HBars(props: { items: { label: string; value: number; display: string }[]; title: string; className?: string }): ReactNode {
  const max = Math.max(1e-9, ...props.items.map((i) => i.value));
  return (
    <ul className="hbars" aria-label={props.title}>
      {props.items.map((item) => (
        <li key={item.label}>
          <span className="hbar-label">{item.label}</span>
          <span className="hbar-track" aria-hidden="true">
            <span className={`hbar-fill ${props.className ?? ''}`} style={{ width: `${Math.max(1, (item.value / max) * 100)}%` }} />
          </span>
          <span className="hbar-value">{item.display}</span>
        </li>
      ))}
    </ul>
  );
}

export function Ring(props: { value: number | null; label: string }): ReactNode {
  const r = 34;
  const c = 2 * Math.PI * r;
  const v = props.value === null || !Number.isFinite(props.value) ? 0 : Math.max(0, Math.min(1, props.value));
  return (
    <svg className="ring" viewBox="0 0 84 84" role="img" aria-label={`${props.label}: ${props.value === null ? 'no data' : `${Math.round(v * 100)}%`}`}>
      <circle cx="42" cy="42" r={r} className="ring-track" />
      <circle cx="42" cy="42" r={r} className="ring-fill" strokeDasharray={`${c * v} ${c}`} transform="rotate(-90 42 42)" />
      <text x="42" y="47" textAnchor="middle" className="ring-text">
        {props.value === null ? '—' : `${Math.round(v * 100)}%`}
      </text>
    </svg>
  );
}
