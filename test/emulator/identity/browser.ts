// Headless Chromium (Debian's) driven by playwright-core, and a local redirect listener standing in for the app.
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RedirectListener {
  uri: string;
  /** Every hit: its query (GET) or form fields (POST). */
  hits: Record<string, string>[];
  close(): Promise<void>;
}

/** The app's redirect URI: records what the sign-in service sends back. */
export async function redirectListener(): Promise<RedirectListener> {
  const hits: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const fields =
        req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : url.searchParams;
      // Only the redirect URI counts (the browser also asks for /favicon.ico).
      if (url.pathname === '/callback') hits.push(Object.fromEntries(fields));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body id="app-landed">signed in</body></html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
