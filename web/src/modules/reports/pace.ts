/** Progress colour of a plan: done → green; on pace (≥ the elapsed share of the month) → blue; behind → orange / red. */
export function paceColor(percent: number | null, elapsed: number, days: number): string {
  if (percent === null) return 'gray';
  if (percent >= 100) return 'green';
  const pace = days ? (elapsed * 100) / days : 100;
  if (percent >= pace * 0.95) return 'blue';
  if (percent >= pace * 0.7) return 'orange';
  return 'red';
}
