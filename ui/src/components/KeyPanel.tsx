import { useState } from 'preact/hooks';
import { apiKey, forgetKey, keyRequired, saveKey } from '../key';
import { useStore } from '../store';

/**
 * Asks for an API key when the service answered 401; keeps it in sessionStorage (this tab's
 * session only) and offers to forget it.
 */
export function KeyPanel() {
  const needed = useStore(keyRequired);
  const key = useStore(apiKey);
  const [value, setValue] = useState('');
  if (needed) {
    return (
      <form
        class="key-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) saveKey(value.trim());
          setValue('');
        }}
      >
        <p id="key-help">
          {key ? 'That API key was refused. Enter another one.' : 'This service needs an API key to show its data.'}
        </p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          aria-describedby="key-help"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit" class="primary">
          Use key
        </button>
      </form>
    );
  }
  if (!key) return null;
  return (
    <div class="key-form">
      <span class="muted">Using an API key for this tab</span>
      <button type="button" onClick={() => (forgetKey(), keyRequired.set(false))}>
        Forget key
      </button>
    </div>
  );
}
