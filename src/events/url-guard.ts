// The check of a webhook URL when it is configured (src/lib/outbound-target.ts decides). Requests themselves go
// through src/lib/safe-fetch.ts, which checks again and connects to the checked addresses only.
import { OutboundRequestError, parseOutboundUrl, resolveTarget, type Resolver } from '../lib/outbound-target.js';

export type { UrlRefusalReason } from '../lib/outbound-target.js';
/** The former name of the outbound error, for existing imports. */
export { OutboundRequestError as WebhookUrlNotAllowedError };

const LABEL = 'webhook';

export interface UrlGuardOptions {
  /** Allow internal addresses (trusted networks, tests). Schemes are still checked. */
  allowPrivate: boolean;
  /** Resolver, replaceable in tests; defaults to the system resolver (`dns.lookup`, all addresses). */
  lookup?: Resolver;
}

/**
 * @throws WebhookUrlNotAllowedError with a `reason` and a message that says what to fix.
 */
export async function assertWebhookUrlAllowed(url: string, options: UrlGuardOptions): Promise<void> {
  // With private targets allowed there is no address to check, and a host that does not resolve yet may later.
  if (options.allowPrivate) parseOutboundUrl(url, LABEL);
  else await resolveTarget(url, { ...options, label: LABEL });
}
