import { useEffect } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Language } from '../lib/api-error';
import { formatBucket, formatNumber, type Granularity } from '../lib/format';

export interface Point {
  start: string;
  clicks: number;
}

/** The clicks timeseries; in Arabic time runs right to left and the axis sits on the right. */
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
  const rtl = language === 'ar';
  const hasData = points.length > 0;
  useEffect(() => {
    if (hasData) onDrawn();
  }, [hasData, onDrawn]);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <AreaChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#d0d4dc" />
        <XAxis dataKey="start" reversed={rtl} tickFormatter={(v: string) => formatBucket(v, language, granularity)} minTickGap={24} stroke="#4a5160" />
        <YAxis orientation={rtl ? 'right' : 'left'} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v, language)} stroke="#4a5160" width={48} />
        <Tooltip labelFormatter={(v: string) => formatBucket(v, language, granularity)} formatter={(v: number) => [formatNumber(v, language), label]} />
        <Area type="monotone" dataKey="clicks" stroke="#1d4ed8" fill="#bfdbfe" isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
}
