/**
 * Time-series charts on uPlot (≈ 20 KB gzip, canvas, fast with many points): daily revenue as bars, sessions
 * as lines. It fills its container's width and redraws on resize. A screen-reader summary comes with every
 * chart (a canvas says nothing by itself).
 */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatDay } from '../lib/format.js'

export interface ChartSeries {
  readonly label: string
  readonly values: readonly number[]
  readonly color: string
}

export interface ChartProps {
  /** 'YYYY-MM-DD' days along the x axis. */
  readonly days: readonly string[]
  readonly series: readonly ChartSeries[]
  readonly kind?: 'bars' | 'line'
  readonly formatValue?: (v: number) => string
  readonly height?: number
  /** What the chart shows, for screen readers. */
  readonly summary: string
  /** Counts (sessions, users) get whole-number ticks only. */
  readonly integer?: boolean
}

const INTEGER_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]

export function Chart({ days, series, kind = 'line', formatValue = String, height = 220, summary, integer = false }: ChartProps) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000)
    const bars = uPlot.paths.bars!({ size: [0.6, 40], radius: 0.2 })
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { points: { size: 6 } },
      // Our own legend below (uPlot's shows hover values, empty until the pointer is over the chart).
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        {
          stroke: '#94a3b8',
          grid: { show: false },
          ticks: { stroke: 'rgba(255,255,255,0.08)' },
          // Whole days only: one point per day, so a tick between days would repeat a label.
          incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400],
          space: 56,
          values: (_u, splits) => splits.map((s) => formatDay(new Date(s * 1000).toISOString().slice(0, 10))),
        },
        {
          stroke: '#94a3b8',
          grid: { stroke: 'rgba(255,255,255,0.06)' },
          ticks: { show: false },
          size: 64,
          ...(integer ? { incrs: INTEGER_STEPS } : {}),
          values: (_u, splits) => splits.map((v) => formatValue(v)),
        },
      ],
      series: [
        { value: (_u, v) => (v == null ? '' : formatDay(new Date(v * 1000).toISOString().slice(0, 10))) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: kind === 'bars' ? 0 : 2,
          fill: kind === 'bars' ? s.color : `${s.color}22`,
          ...(kind === 'bars' ? { paths: bars } : {}),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '' : formatValue(v)),
        })),
      ],
    }
    const plot = new uPlot(opts, [xs, ...series.map((s) => [...s.values])], el)
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [days, series, kind, formatValue, height, integer])
  return (
    <figure className="m-0">
      <div ref={box} className="w-full text-slate-300" aria-hidden="true" />
      {series.length > 1 && (
        <ul className="mt-2 flex flex-wrap justify-center gap-4 text-sm text-slate-300" aria-hidden="true">
          {series.map((s) => (
            <li key={s.label} className="flex items-center gap-2">
              <span className="size-3 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  )
}
