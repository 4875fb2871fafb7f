/**
 * The access token arrives once in the URL that `npm start` prints
 * (`http://host:port/?token=…`). It is moved into sessionStorage at load and
 * removed from the address bar, so it is not left in history or screenshots.
 */
const STORAGE_KEY = 'evoscope.token';

export function captureAccessToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    const token = fromUrl.trim();
    if (token) sessionStorage.setItem(STORAGE_KEY, token);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetAccessToken(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function storeAccessToken(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token.trim());
}
