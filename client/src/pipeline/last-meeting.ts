/**
 * The time of the last pipeline meeting on each board, remembered on this
 * device (localStorage): "changes since the last meeting" starts there.
 */
const KEY_PREFIX = 'tandem.board.lastMeeting.';
/** Without a remembered meeting, changes of the last week are shown. */
export const DEFAULT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

export function lastMeetingAt(pipelineId: string, now: Date): string {
  try {
    const v = localStorage.getItem(KEY_PREFIX + pipelineId);
    if (v && !Number.isNaN(Date.parse(v))) return v;
  } catch {
    // Storage unavailable: the default lookback applies.
  }
  return new Date(now.getTime() - DEFAULT_LOOKBACK_MS).toISOString();
}

export function rememberMeeting(pipelineId: string, at: Date): void {
  try {
    localStorage.setItem(KEY_PREFIX + pipelineId, at.toISOString());
  } catch {
    // Not remembered; the default lookback applies next time.
  }
}
