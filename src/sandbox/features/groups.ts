// The groups feature (`xmlns="w:g2"`): every group IQ Baileys sends, registered by concern.
import type { StanzaRouter } from '../router.js';
import { inviteIqs } from './groups-invites.js';
import { participantIqs } from './groups-participants.js';
import { queryIqs } from './groups-queries.js';
import { requestIqs } from './groups-requests.js';
import { settingsIqs } from './groups-settings.js';

export function groupsFeature(router: StanzaRouter): void {
  queryIqs(router);
  settingsIqs(router);
  participantIqs(router);
  inviteIqs(router);
  requestIqs(router);
}
