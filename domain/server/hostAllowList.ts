/**
 * The `Host` allow-list of Evoscope's local HTTP servers (the API and the local model server).
 *
 * Why: a web page can rebind its own DNS name to 127.0.0.1 and then call a local server as if it
 * were its own origin; the browser still sends the page's name in `Host`. Answering only to the
 * loopback names (and names the operator configured) closes that door. An IP address in `Host`
 * is answered too: rebinding needs a name the attacker controls, and an address is nobody's name
 * (so `HOST=192.168.1.5` works without configuration). A request without `Host` is refused:
 * every browser and HTTP/1.1 client sends one.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { commaList } from './commaList';

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** A comma-separated list of host names (no scheme, no port) from the environment, lower-cased. */
export const HostNames = commaList(
  (entry) => entry.toLowerCase(),
  (name) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(name),
  (name) => `not a host name (give no scheme or port): ${name}`,
);

/** The only shapes of a `Host` header: a name or a bracketed IPv6 address, then perhaps `:port`. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/;

/**
 * The name in a `Host` header without its port (`[::1]:4000` → `[::1]`, `Example.COM:80` →
 * `example.com`), or '' when the header is not a host and a port (the header is copied into the
 * console's Content-Security-Policy, so nothing else may pass).
 */
export function hostNameOf(hostHeader: string): string {
  return HOST_HEADER.exec(hostHeader.trim().toLowerCase())?.[1] ?? '';
}

/** `10.0.0.5`, `[fe80::1]`: an address rather than a name. */
const isAddress = (name: string) => isIP(name.startsWith('[') ? name.slice(1, -1) : name) !== 0;

/** Whether a request names one of the loopback hosts, one of `extraNames`, or an IP address. */
export function createHostCheck(extraNames: readonly string[]): (req: IncomingMessage) => boolean {
  const allowed = new Set([...LOOPBACK_HOSTS, ...extraNames]);
  return (req) => {
    const host = req.headers.host;
    if (host === undefined) return false;
    const name = hostNameOf(host);
    return allowed.has(name) || isAddress(name);
  };
}

/** What a refused request is told: it names the setting that would let it in. */
export const foreignHostMessage = (setting: string) =>
  `this server answers only to IP addresses, localhost and the names in ${setting}`;
