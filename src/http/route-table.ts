// The 90 WARest actions the n8n node calls (api-compat §1.3) as data, and `actionRoute()` which turns an entry
// into Fastify route options, so real routes and the 501 stubs share one method, path and OpenAPI metadata.
import type {
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteOptions,
} from 'fastify';

export const API_PREFIX = '/api/v1';

// [category, action, n8n operation, 'METHOD path' (under /api/v1), fields (query for GET, JSON body otherwise)]
const ROWS = [
  ['Sessions', 'Create Session', 'createSession', 'GET /session/create', 'sessionId'],
  ['Sessions', 'Create Pair Code', 'createPairCode', 'GET /session/create/pair-code', 'sessionId,phone'],
  ['Sessions', 'Logout Session', 'logout', 'GET /session/logout', 'sessionId'],
  ['Sessions', 'Reconnect Session', 'reconnect', 'GET /session/reconnect', 'sessionId'],
  ['Sessions', 'List Devices', 'devices', 'GET /session/devices', 'sessionId'],
  ['Sessions', 'List Sessions', 'listSessions', 'GET /session/list', ''],
  ['Sessions', 'Delete Session', 'deleteSession', 'DELETE /session/delete', 'sessionId'],
  ['Sessions', 'Update Session Config', 'updateConfig', 'POST /session/:sessionId/config', ''],
  ['Messages - Sending', 'Send Text', 'sendText', 'POST /messages/send/text', 'sessionId,to,message'],
  ['Messages - Sending', 'Send Files', 'sendFiles', 'POST /messages/send/files', 'sessionId,to,files'],
  ['Messages - Sending', 'Send Media', 'sendMedia', 'POST /messages/send/media', 'sessionId,to,media'],
  ['Messages - Sending', 'Send Document', 'sendDocument', 'POST /messages/send/document', 'sessionId,to,document'],
  ['Messages - Sending', 'Send Audio', 'sendAudio', 'POST /messages/send/audio', 'sessionId,to,audio'],
  ['Messages - Sending', 'Send GIF', 'sendGif', 'POST /messages/send/gif', 'sessionId,to,gif'],
  ['Messages - Sending', 'Send Sticker', 'sendSticker', 'POST /messages/send/sticker', 'sessionId,to,sticker'],
  ['Messages - Sending', 'Send Button Template', 'sendButton', 'POST /messages/send/button', 'sessionId,to,text,buttons'],
  ['Messages - Sending', 'Send List', 'sendList', 'POST /messages/send/list', 'sessionId,to,text'],
  ['Messages - Sending', 'Send Location', 'sendLocation', 'POST /messages/send/location', 'sessionId,to,location'],
  ['Messages - Sending', 'Send Poll', 'sendPoll', 'POST /messages/send/poll', 'sessionId,to,question,options'],
  ['Messages - Sending', 'Send Contact', 'sendContact', 'POST /messages/send/contact', 'sessionId,to,contact'],
  ['Chats', 'List Chats', 'listChats', 'GET /chats', 'sessionId'],
  ['Chats', 'Fetch Chat Messages', 'getChatMessages', 'GET /chats/:chatId/messages', 'sessionId'],
  ['Chats', 'Pin/Unpin Chat', 'pinChat', 'POST /chats/:chatId/pin', 'sessionId,pin'],
  ['Chats', 'Pin/Unpin Message', 'pinMessage', 'POST /chats/:chatId/messages/:messageId/pin', 'sessionId,pin'],
  ['Chats', 'Mark Chat Read', 'markChatRead', 'POST /chats/:chatId/read', 'sessionId'],
  ['Chats', 'Archive Chat', 'archiveChat', 'POST /messages/action/archive', 'sessionId,to'],
  ['Chats', 'Unarchive Chat', 'unarchiveChat', 'POST /messages/action/unarchive', 'sessionId,to'],
  ['Chats', 'Mute Chat', 'muteChat', 'POST /messages/action/mute', 'sessionId,to'],
  ['Chats', 'Unmute Chat', 'unmuteChat', 'POST /messages/action/unmute', 'sessionId,to'],
  ['Chats', 'Clear Chat Messages', 'clearChat', 'DELETE /messages/action/clear-all', 'sessionId,to'],
  ['Messages - Actions', 'Delete Message', 'deleteMessage', 'DELETE /messages/:messageId/action/delete', 'sessionId,to'],
  ['Messages - Actions', 'Edit Message', 'editMessage', 'POST /messages/:messageId/action/edit', 'sessionId,to,message'],
  ['Messages - Actions', 'Mark Message Read', 'markMessageRead', 'POST /messages/:messageId/action/mark-as-read', 'sessionId,to'],
  ['Messages - Actions', 'React to Message', 'reactToMessage', 'POST /messages/:messageId/action/reaction', 'sessionId,to,emoji'],
  ['Messages - Actions', 'Remove Reaction', 'removeReaction', 'POST /messages/:messageId/action/unreaction', 'sessionId,to'],
  ['Messages - Actions', 'Revoke Message', 'revokeMessage', 'POST /messages/:messageId/action/revoke', 'sessionId,to'],
  ['Messages - Actions', 'Star Message', 'starMessage', 'POST /messages/:messageId/action/star', 'sessionId,to'],
  ['Messages - Actions', 'Unstar Message', 'unstarMessage', 'POST /messages/:messageId/action/unstar', 'sessionId,to'],
  ['Groups', 'List Groups', 'listGroups', 'GET /groups', 'sessionId'],
  ['Groups', 'Group Info', 'getGroupInfo', 'GET /group/info', 'sessionId,groupId'],
  ['Groups', 'Get Invite Link', 'getGroupInvite', 'GET /group/invite', 'sessionId,groupId'],
  ['Groups', 'Revoke Invite Link', 'revokeGroupInvite', 'POST /group/invite/revoke', 'sessionId,groupId'],
  ['Groups', 'Join via Link', 'joinGroupByLink', 'POST /group/join-via-link', 'sessionId,inviteLink'],
  ['Groups', 'Preview via Link', 'previewGroupByLink', 'GET /group/join-via-link', 'sessionId,inviteLink'],
  ['Groups', 'Create Group', 'createGroup', 'POST /group/create', 'sessionId,groupName,participants'],
  ['Groups', 'Leave Group', 'leaveGroup', 'POST /group/leave', 'sessionId,groupId'],
  ['Groups', 'Delete Group', 'deleteGroup', 'DELETE /group/delete', 'sessionId,groupId'],
  ['Groups', 'Update Group Name', 'updateGroupName', 'POST /group/name', 'sessionId,groupId,groupName'],
  ['Groups', 'Update Group Description', 'updateGroupDescription', 'POST /group/description', 'sessionId,groupId,groupDescription'],
  ['Groups', 'Toggle Announcement Mode', 'setGroupAnnouncement', 'POST /group/announcement', 'sessionId,groupId,announcement'],
  ['Groups', 'Lock Group Edits', 'setGroupLocked', 'POST /group/locked', 'sessionId,groupId,locked'],
  ['Groups', 'List Participants', 'getGroupParticipants', 'GET /group/participants', 'sessionId,groupId'],
  ['Groups', 'Add Participants', 'addGroupParticipants', 'POST /group/participants/add', 'sessionId,groupId,participants'],
  ['Groups', 'Remove Participants', 'removeGroupParticipants', 'DELETE /group/participants/remove', 'sessionId,groupId,participants'],
  ['Groups', 'Promote Participants', 'promoteGroupParticipants', 'POST /group/participants/promote', 'sessionId,groupId,participants'],
  ['Groups', 'Demote Participants', 'demoteGroupParticipants', 'POST /group/participants/demote', 'sessionId,groupId,participants'],
  ['Groups', 'Approve Join Request', 'approveJoinRequest', 'POST /group/participants/request/approve', 'sessionId,groupId,participants'],
  ['Groups', 'Reject Join Request', 'rejectJoinRequest', 'POST /group/participants/request/reject', 'sessionId,groupId,participants'],
  ['Groups', 'List Join Requests', 'listJoinRequests', 'GET /group/participants/requests', 'sessionId,groupId'],
  ['Groups', 'Get Group Picture', 'getGroupPicture', 'GET /group/picture', 'sessionId,groupId'],
  ['Groups', 'Set Group Picture', 'setGroupPicture', 'POST /group/picture', 'sessionId,groupId,picture'],
  ['Groups', 'Delete Group Picture', 'deleteGroupPicture', 'DELETE /group/picture', 'sessionId,groupId'],
  ['Profile', 'Get Profile Info', 'getProfileInfo', 'GET /profile/info', 'sessionId'],
  ['Profile', 'Get Profile Picture', 'getProfilePicture', 'GET /profile/picture', 'sessionId'],
  ['Profile', 'Set Profile Picture', 'setProfilePicture', 'POST /profile/picture', 'sessionId,picture'],
  ['Profile', 'Delete Profile Picture', 'deleteProfilePicture', 'DELETE /profile/picture', 'sessionId'],
  ['Profile', 'Get Privacy Settings', 'getPrivacySettings', 'GET /profile/privacy', 'sessionId'],
  ['Profile', 'List Contacts', 'listContacts', 'GET /profile/list-contacts', 'sessionId'],
  ['Profile', 'Check On WhatsApp', 'checkOnWhatsapp', 'GET /profile/on-whatsapp', 'sessionId,checkNumbers'],
  ['Profile', 'Get Business Profile', 'getBusinessProfile', 'GET /profile/business-profile', 'sessionId,checkNumbers'],
  ['Server', 'Ping', 'ping', 'GET /server/ping', ''],
  ['Server', 'Server Info', 'info', 'GET /server/info', ''],
  ['Server', 'Health Check', 'health', 'GET /server/healthz', ''],
  ['Server', 'Ready Check', 'ready', 'GET /server/ready', ''],
  ['Server', 'CPU History', 'cpuHistory', 'GET /server/cpu-history', ''],
  ['Server', 'Restart', 'restart', 'POST /server/restart', ''],
  ['Server', 'Schedule Daily Restart', 'scheduleRestart', 'POST /server/restart/scheduled', 'schedule'],
  ['Miscellaneous', 'Convert String to QR', 'convertStringToQr', 'POST /misc/convert-string-toqr/:target', 'string'],
  ['Miscellaneous', 'Base64 Helper', 'base64', 'POST /misc/base64', 'action,input'],
  ['Miscellaneous', 'Crypto Hash', 'cryptoHash', 'POST /misc/crypto/hash', 'input'],
  ['Miscellaneous', 'Crypto HMAC', 'cryptoHmac', 'POST /misc/crypto/hmac', 'key,input'],
  ['Miscellaneous', 'Make Thumbnail', 'thumbnail', 'POST /misc/media/thumbnail', 'file,type'],
  ['Miscellaneous', 'Process Image', 'processImage', 'POST /misc/media/image', 'file'],
  ['Miscellaneous', 'Generate UUID/ULID', 'uuidGenerate', 'POST /misc/uuid/generate', ''],
  ['Miscellaneous', 'Validate UUID/ULID', 'uuidValidate', 'POST /misc/uuid/validate', 'value'],
  ['Miscellaneous', 'Decrypt WhatsApp File', 'decryptWhatsappFile', 'POST /misc/whatsapp/file-decrypt', 'mediaKey,file'],
  ['Miscellaneous', 'Decrypt Poll Vote', 'decryptPollVote', 'POST /misc/whatsapp/poll-update-vote', 'sessionId,pollUpdateVote'],
  ['Miscellaneous', 'Validate Phone', 'validatePhone', 'POST /misc/whatsapp/validate/phone', 'phone'],
  ['Miscellaneous', 'Validate JID', 'validateJid', 'POST /misc/whatsapp/validate/jid', 'jid'],
  ['Miscellaneous', 'Resolve JID or LID', 'resolveJidOrLid', 'POST /misc/whatsapp/resolve/jid-or-lid', 'input'],
] as const;

export type ApiCategory = (typeof ROWS)[number][0];
export type ApiOperation = (typeof ROWS)[number][2];

export interface ApiAction {
  category: ApiCategory;
  /** Human name, e.g. "Revoke Invite Link". */
  action: string;
  /** The n8n operation key, used as the OpenAPI operationId. */
  operation: ApiOperation;
  method: HTTPMethods;
  /** Fastify path relative to API_PREFIX, with `:param` segments. */
  path: string;
  pathParams: string[];
  /** Fields the n8n node sends: in the query for GET, in the JSON body otherwise. */
  fields: string[];
}

export const API_ACTIONS: readonly ApiAction[] = ROWS.map(([category, action, operation, route, fields]) => {
  const [method, path] = route.split(' ') as [HTTPMethods, string];
  return {
    category, action, operation, method, path,
    pathParams: [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!),
    fields: fields === '' ? [] : fields.split(','),
  };
});

const BY_OPERATION = new Map(API_ACTIONS.map((entry) => [entry.operation, entry]));

export function apiAction(operation: ApiOperation): ApiAction {
  return BY_OPERATION.get(operation)!;
}

type ActionRouteOptions<G extends RouteGenericInterface> = RouteOptions<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, G
>;

/**
 * Route options for a table action, to register under API_PREFIX: method, path and OpenAPI tags/summary/operationId
 * come from the table; the caller adds the handler and its body/querystring schemas.
 *
 *   app.route(actionRoute('revokeGroupInvite', { schema: { body }, handler }))
 */
export function actionRoute<G extends RouteGenericInterface = RouteGenericInterface>(
  operation: ApiOperation,
  options: Omit<ActionRouteOptions<G>, 'method' | 'url'>,
): ActionRouteOptions<G> {
  const entry = apiAction(operation);
  return {
    ...options,
    method: entry.method,
    url: entry.path,
    schema: { tags: [entry.category], summary: entry.action, operationId: entry.operation, ...options.schema },
  };
}
