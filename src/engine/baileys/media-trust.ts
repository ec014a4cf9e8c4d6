// Trusting a media host's certificate authority (a sandbox's self-signed one, EngineNetwork.mediaCaPem) on top of
// the public ones. Baileys 7 rc14 uploads with node:https and the socket's `fetchAgent`, and downloads with the
// global fetch, which honours only an undici `dispatcher`. Node 20 bundles undici without exporting it, so the
// dispatcher class is taken from fetch's own global dispatcher. Without a CA both stay Baileys' defaults.
// Sessions share one per CA (`mediaTrustFor`): each holds its own copy of the public roots and its own pools.
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';

type DispatcherClass = new (options: { connect: { ca: string[] } }) => object;

const byCa = new Map<string | undefined, MediaTrust>();

/** The process's MediaTrust for `caPem` (undefined: the public certificate authorities only). */
export function mediaTrustFor(caPem: string | undefined): MediaTrust {
  let trust = byCa.get(caPem);
  if (!trust) byCa.set(caPem, (trust = new MediaTrust(caPem)));
  return trust;
}

export class MediaTrust {
  /** for Baileys' `fetchAgent` (uploads) */
  readonly uploadAgent: HttpsAgent | undefined;
  private download: Promise<RequestInit> | undefined;

  constructor(private readonly caPem: string | undefined) {
    this.uploadAgent = caPem ? new HttpsAgent({ ca: [...rootCertificates, caPem] }) : undefined;
  }

  /** fetch options for downloads (Baileys' `options`), or undefined for the defaults */
  downloadOptions(): Promise<RequestInit> | undefined {
    const caPem = this.caPem;
    if (!caPem) return undefined;
    this.download ??= (async () => {
      // The first fetch creates the global dispatcher.
      await fetch('data:,');
      const global = (globalThis as Record<symbol, object | undefined>)[Symbol.for('undici.globalDispatcher.1')];
      if (!global) throw new Error('no undici global dispatcher to trust the media CA with');
      const Dispatcher = global.constructor as DispatcherClass;
      return { dispatcher: new Dispatcher({ connect: { ca: [...rootCertificates, caPem] } }) } as RequestInit;
    })();
    return this.download;
  }
}
