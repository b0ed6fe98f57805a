import { streamState } from '../events';
import { useStore } from '../store';

const TEXT = {
  live: 'Live',
  connecting: 'Connecting to the live stream…',
  reconnecting: 'Live stream lost: reconnecting; refreshing every',
  unavailable: 'No live stream on this server: refreshing every',
  unauthorized: 'Live stream needs an API key',
} as const;

/** Says whether figures follow the event stream or are polled, in words (not only a colour). */
export function StreamIndicator({ pollSeconds }: { pollSeconds: number }) {
  const state = useStore(streamState);
  const polling = state === 'reconnecting' || state === 'unavailable';
  return (
    <p class={`stream stream-${state}`} data-testid="stream-state" data-state={state} role="status">
      {TEXT[state]}
      {polling ? ` ${pollSeconds} s` : ''}
    </p>
  );
}
