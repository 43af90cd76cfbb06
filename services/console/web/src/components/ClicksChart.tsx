import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import type { Language } from '../lib/api-error';
import { formatBucket, formatNumber, type Granularity } from '../lib/format';

// Only the pieces an area chart uses: Chart.js tree-shakes to a fraction of a full chart library,
// which kept the analytics page's main thread busy parsing code it never ran.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip);

export interface Point {
  start: string;
  clicks: number;
}

const AXIS = '#4a5160';
const GRID = '#d0d4dc';

function configuration(points: Point[], language: Language, granularity: Granularity, label: string): ChartConfiguration<'line', number[], string> {
  const rtl = language === 'ar';
  const bucket = (index: number) => formatBucket(points[index]?.start ?? '', language, granularity);
  return {
    type: 'line',
    data: {
      labels: points.map((p) => p.start),
      datasets: [{ label, data: points.map((p) => p.clicks), borderColor: '#1d4ed8', backgroundColor: '#bfdbfe', fill: true, tension: 0.3, pointRadius: 0, pointHitRadius: 8 }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: language,
      interaction: { mode: 'index', intersect: false },
      layout: { padding: { top: 8, right: 16, bottom: 8, left: 16 } },
      scales: {
        // in Arabic time runs right to left and the count axis sits on the right
        x: { reverse: rtl, grid: { color: GRID }, border: { dash: [3, 3] }, ticks: { color: AXIS, autoSkipPadding: 24, maxRotation: 0, callback: (value) => bucket(Number(value)) } },
        y: {
          position: rtl ? 'right' : 'left',
          beginAtZero: true,
          grid: { color: GRID },
          border: { dash: [3, 3] },
          ticks: { color: AXIS, precision: 0, callback: (v) => formatNumber(Number(v), language) },
        },
      },
      plugins: {
        tooltip: {
          rtl,
          callbacks: {
            title: (items) => bucket(items[0]?.dataIndex ?? 0),
            label: (item) => `${label}: ${formatNumber(Number(item.raw), language)}`,
          },
        },
      },
    },
  };
}

/** The clicks timeseries, drawn on a canvas; in Arabic time runs right to left. */
export default function ClicksChart({
  points,
  language,
  granularity,
  label,
  onDrawn,
}: {
  points: Point[];
  language: Language;
  granularity: Granularity;
  label: string;
  /** Called once the chart has been drawn with data. */
  onDrawn: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', number[], string> | null>(null);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    // without a 2D context (canvas disabled) the label and its text stand in for the drawing
    if (!context) {
      if (points.length > 0) onDrawn();
      return;
    }
    const config = configuration(points, language, granularity, label);
    if (chart.current) {
      chart.current.data = config.data;
      chart.current.options = config.options ?? {};
      chart.current.update();
    } else {
      chart.current = new Chart(context, config);
    }
    // no animation: the chart is on screen once update() returns
    if (points.length > 0) onDrawn();
  }, [points, language, granularity, label, onDrawn]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <div className="chart-canvas">
      {/* the figure's caption says in words what the drawing shows */}
      <canvas ref={canvas} aria-hidden="true" />
    </div>
  );
}
