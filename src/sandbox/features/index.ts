// Every protocol feature the sandbox speaks, registered on the stanza router in this order.
import type { FeatureModule } from '../router.js';
import { appStateFeature } from './app-state.js';
import { basicsFeature } from './basics.js';
import { groupsFeature } from './groups.js';
import { keysFeature } from './keys.js';
import { messagesFeature } from './messages.js';
import { presenceFeature } from './presence.js';
import { privacyFeature } from './privacy.js';
import { profileFeature } from './profile.js';
import { usyncFeature } from './usync.js';

export const sandboxFeatures: FeatureModule[] = [basicsFeature, keysFeature, privacyFeature, appStateFeature, groupsFeature, usyncFeature, profileFeature, messagesFeature, presenceFeature];
