/** Frame figures bench:renderer reports for each stage it measures. */
export interface FrameFigures {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  longTasks: number;
  longTaskMs: number;
  seconds: number;
}
