import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { Toasts } from './components/common';
import { KeyPanel } from './components/KeyPanel';
import { apiKey, keyRequired } from './key';
import { Failed } from './pages/Failed';
import { JobPage } from './pages/JobPage';
import { Jobs } from './pages/Jobs';
import { Overview } from './pages/Overview';
import { WebhookPage, Webhooks } from './pages/Webhooks';
import { href, useRoute } from './router';
import { useStore } from './store';
import './styles.css';

const NAV = [
  ['', 'Overview'],
  ['jobs', 'Jobs'],
  ['failed', 'Failed jobs'],
  ['webhooks', 'Webhooks'],
] as const;

function Page() {
  const { parts, params } = useRoute();
  const [section, id] = parts;
  if (section === 'jobs' && id) return <JobPage id={id} key={id} />;
  if (section === 'jobs') return <Jobs params={params} key={params.toString()} />;
  if (section === 'failed') return <Failed />;
  if (section === 'webhooks' && id) return <WebhookPage id={id} key={id} />;
  if (section === 'webhooks') return <Webhooks />;
  return <Overview />;
}

function App() {
  const { parts } = useRoute();
  const needsKey = useStore(keyRequired);
  const key = useStore(apiKey);
  const section = parts[0] ?? '';
  useEffect(() => {
    const label = NAV.find(([path]) => path === section)?.[1] ?? 'Overview';
    document.title = `${label} · media-analysis-api`;
  }, [section]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">media-analysis-api</span>
        <nav aria-label="Sections">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={href(path)} aria-current={section === path ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <KeyPanel />
      </header>
      <main id="main" tabIndex={-1}>
        {/* Without a key (when one is required) the pages show nothing: the prompt says why. */}
        {needsKey ? null : <Page key={key ?? ''} />}
      </main>
      <Toasts />
    </>
  );
}

render(<App />, document.getElementById('app')!);
