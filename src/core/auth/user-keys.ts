// User API keys (a Waygate addition; WARest manages users elsewhere): create one for a user — the key is
// returned once and stored hashed —, list them, delete one that owns no sessions. Admin only (the route says so).
import type { Db } from '../../store/database.js';
import { createApiKey, deleteApiKey, listApiKeys } from '../../store/repos/api-keys.js';
import { ReferenceViolationError } from '../../store/errors.js';
import { GatewayError } from '../errors.js';
import { ADMIN_KEY_ID } from './admin-key.js';
import { hashSecret, newSecret } from './secrets.js';

export class UserKeys {
  /** `onDeleted` drops cached key answers, so a deleted key stops working at once on this node. */
  constructor(
    private readonly db: Db,
    private readonly onDeleted: () => void,
  ) {}

  async create(name: string) {
    const key = newSecret('user');
    const created = await createApiKey(this.db, { name, keyHash: hashSecret(key) });
    return { ...created, key };
  }

  list() {
    return listApiKeys(this.db);
  }

  async delete(id: string): Promise<void> {
    if (id === ADMIN_KEY_ID) throw new GatewayError('INVALID_STATE', 'The admin key cannot be deleted; change WAYGATE_ADMIN_KEY instead');
    try {
      if (!(await deleteApiKey(this.db, id))) throw new GatewayError('NOT_FOUND', `No API key with id ${id}`);
    } catch (err) {
      if (err instanceof ReferenceViolationError) throw new GatewayError('CONFLICT', 'This key still owns sessions; delete them first');
      throw err;
    }
    this.onDeleted();
  }
}
