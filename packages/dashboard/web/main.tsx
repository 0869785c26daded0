import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, type Info } from './api.js';
import { navigate, useLocation } from './router.js';
import { RunPage } from './run-page.js';
import { RunsList } from './runs-list.js';
import './style.css';

function App() {
  const { path, query } = useLocation();
  const [info, setInfo] = useState<Info | undefined>();
  useEffect(() => {
    getJson<Info>('/api/info').then(setInfo, () => {});
  }, []);
  const run = /^\/runs\/([^/]+)$/.exec(path);
  return (
    <div class="app">
      <header class="top">
        <a
          class="brand"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          Baton
        </a>
        <span class="store" data-testid="store">
          {info ? info.store : ''}
        </span>
        <span class="live" title="How new runs and changes reach this page">
          {info
            ? info.live.mode === 'polling'
              ? `live (polling every ${info.live.intervalMs} ms)`
              : info.live.mode === 'fs.watch'
                ? 'live (fs watch)'
                : 'live (store notifications)'
            : ''}
        </span>
      </header>
      <main>{run ? <RunPage runId={decodeURIComponent(run[1]!)} /> : <RunsList query={query} />}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
