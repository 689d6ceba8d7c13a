// Charts as plain SVG drawn on the server: they print, need no script, and read out with a title
// and a table beside them for screen readers.
import { percent } from "../format.js";

export interface Bar {
  label: string;
  /** A rate in 0..1; null when nothing was judged. */
  value: number | null;
}

const ROW = 22;
const LABEL_WIDTH = 220;
const BAR_WIDTH = 360;

/** Horizontal bars of rates, one per row, with the target line when there is one. */
export function RateChart(props: { title: string; bars: Bar[]; id: string }) {
  const height = props.bars.length * ROW + 24;
  const width = LABEL_WIDTH + BAR_WIDTH + 70;
  return (
    // Focusable: on a phone the chart keeps a readable size and scrolls sideways in its own box.
    <figure class="chart" tabindex={0} aria-label={props.title}>
      <svg
        style="width: 100%; height: auto; max-width: 100%"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${props.id}-title`}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        {[0, 0.5, 1].map((tick) => (
          <g>
            <line
              x1={LABEL_WIDTH + tick * BAR_WIDTH}
              x2={LABEL_WIDTH + tick * BAR_WIDTH}
              y1={0}
              y2={height - 16}
              stroke="#c9d1d9"
            />
            <text x={LABEL_WIDTH + tick * BAR_WIDTH} y={height - 4} text-anchor="middle">
              {`${tick * 100} %`}
            </text>
          </g>
        ))}
        {props.bars.map((bar, i) => {
          const y = i * ROW + 4;
          const w = bar.value === null ? 0 : Math.max(1, bar.value * BAR_WIDTH);
          return (
            <g>
              <text x={LABEL_WIDTH - 6} y={y + 14} text-anchor="end">
                {bar.label.length > 34 ? `${bar.label.slice(0, 33)}…` : bar.label}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={w} height={ROW - 6} fill={barColour(bar.value)} />
              <text x={LABEL_WIDTH + w + 4} y={y + 14}>
                {percent(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{props.title}</figcaption>
    </figure>
  );
}

/** Dark enough for 3:1 against white, as WCAG asks of graphics. */
function barColour(value: number | null): string {
  if (value === null) return "#6b7681";
  if (value >= 0.95) return "#1a7f37";
  if (value >= 0.8) return "#8a5a00";
  return "#b42318";
}
