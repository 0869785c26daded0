import { useEffect, useState } from 'preact/hooks';

/** Navigates within the app without a reload. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path and query, updated on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [location, setLocation] = useState(() => ({ path: window.location.pathname, search: window.location.search }));
  useEffect(() => {
    const update = () => setLocation({ path: window.location.pathname, search: window.location.search });
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return { path: location.path, query: new URLSearchParams(location.search) };
}
