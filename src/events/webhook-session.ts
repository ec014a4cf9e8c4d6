// The `session` object every canonical event carries (webhook bodies, the live stream): the session and the
// identity of the key that owns it.
import type { Db } from '../store/database.js';
import { getApiKey } from '../store/repos/api-keys.js';
import type { Session } from '../store/repos/sessions.js';
import type { WebhookSessionInfo } from './webhook-signer.js';

export async function webhookSessionInfo(db: Db, session: Session): Promise<WebhookSessionInfo> {
  const owner = await getApiKey(db, session.ownerKeyId);
  return { id: session.id, label: session.label ?? '', registry: owner?.registry ?? '', username: owner?.name ?? '' };
}
