import { useState } from 'preact/hooks';
import { ApiError, request } from '../api';

const FORMATS = [
  ['vtt', 'WebVTT'],
  ['srt', 'SRT'],
  ['txt', 'Text'],
] as const;
const PREVIEW_LINES = 24;

/** The captions endpoint (search feature): a preview and downloads, fetched with the key. */
export function Captions({ transcriptionId, hasWords }: { transcriptionId: string; hasWords: boolean }) {
  const [preview, setPreview] = useState<string>();
  const [message, setMessage] = useState<{ text: string; error: boolean }>();

  const fetchCaptions = async (format: string): Promise<Blob | undefined> => {
    setMessage(undefined);
    try {
      const response = await request(`/api/transcriptions/${transcriptionId}/captions?format=${format}`);
      return await response.blob();
    } catch (error) {
      const e = error as ApiError;
      if (e.missing) setMessage({ text: 'Captions are not available on this server yet.', error: false });
      else if (e.status === 422)
        setMessage({ text: 'This transcription has no word timings, so captions cannot be made.', error: false });
      else setMessage({ text: e.message, error: true });
      return undefined;
    }
  };

  const showPreview = async () => {
    const blob = await fetchCaptions('vtt');
    if (blob) setPreview((await blob.text()).split('\n').slice(0, PREVIEW_LINES).join('\n'));
  };

  const download = async (format: string) => {
    const blob = await fetchCaptions(format);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `transcription-${transcriptionId}.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div class="captions">
      <h4>Captions</h4>
      {!hasWords && <p class="muted">No word timings: only the text download works.</p>}
      <div class="actions">
        <button type="button" onClick={showPreview} disabled={!hasWords}>
          Preview captions
        </button>
        {FORMATS.map(([format, label]) => (
          <button
            type="button"
            key={format}
            onClick={() => download(format)}
            disabled={!hasWords && format !== 'txt'}
            aria-label={`Download ${label} captions`}
          >
            Download {label}
          </button>
        ))}
      </div>
      {message && (
        <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {preview !== undefined && (
        <pre class="code" aria-label="Captions preview" tabIndex={0}>
          {preview}
        </pre>
      )}
    </div>
  );
}
