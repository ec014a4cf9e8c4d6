// The app-code catalogue: WARest's 122 codes (api-compat §3) plus Waygate's own, GatewayError, and the helpers
// every layer uses to fail by code name. Routes never hand-build error bodies; the HTTP layer renders these.

type CodeRow = readonly [code: number, name: string, status: number, retryable: boolean, message: string];

const WAREST_ROWS = [
  [1000, 'SUCCESS', 200, false, 'Request successful'],
  [1001, 'ACCEPTED', 202, false, 'Accepted for processing'],
  [1002, 'QUEUED', 202, false, 'Queued for async processing'],
  [1003, 'SCHEDULED', 202, false, 'Scheduled for later execution'],
  [1004, 'PARTIAL_SUCCESS', 207, false, 'Completed with warnings'],
  [1005, 'NOOP', 200, false, 'No changes were needed'],
  [1100, 'SESSION_REQUIRED', 400, false, 'Session ID is required'],
  [1101, 'SESSION_NOT_FOUND', 404, false, 'Session not found'],
  [1102, 'SESSION_ALREADY_EXISTS', 409, false, 'Session already exists'],
  [1103, 'SESSION_CLOSED', 409, true, 'Session is closed'],
  [1104, 'SESSION_OPEN', 200, false, 'Session already open'],
  [1105, 'SESSION_BUSY', 429, true, 'Session is busy'],
  [1106, 'SESSION_NOT_LOGGED_IN', 409, true, 'Login required (scan QR or pairing)'],
  [1107, 'SESSION_QR_REQUIRED', 202, true, 'QR required to continue'],
  [1108, 'SESSION_QR_EXPIRED', 409, true, 'QR expired, request a new one'],
  [1109, 'SESSION_RECONNECT_SCHEDULED', 202, true, 'Reconnect scheduled'],
  [1110, 'SESSION_LOGIN_PENDING', 202, true, 'Login is in progress'],
  [1200, 'WEBHOOK_DISABLED', 200, false, 'Webhook delivery disabled'],
  [1201, 'WEBHOOK_INVALID_URL', 400, false, 'Invalid webhook URL'],
  [1202, 'WEBHOOK_TIMEOUT', 504, true, 'Webhook delivery timed out'],
  [1203, 'WEBHOOK_REJECTED', 502, true, 'Remote endpoint rejected payload'],
  [1204, 'WEBHOOK_SIGNATURE_INVALID', 401, false, 'Invalid webhook signature'],
  [1400, 'SOCKET_UNAUTHORIZED', 401, false, 'WebSocket unauthorized'],
  [1401, 'SOCKET_RATE_LIMITED', 429, true, 'Too many socket messages'],
  [1402, 'SOCKET_ROOM_NOT_FOUND', 404, false, 'Room not found'],
  [1403, 'SOCKET_ALREADY_JOINED', 200, false, 'Already joined this room'],
  [1404, 'SOCKET_NOT_CONNECTED', 503, true, 'Socket not connected'],
  [1600, 'SSE_UNAVAILABLE', 503, true, 'SSE stream unavailable'],
  [1601, 'SSE_CLIENT_DISCONNECTED', 499, true, 'SSE client disconnected'],
  [2000, 'BAD_REQUEST', 400, false, 'Invalid request'],
  [2001, 'MISSING_PARAMETER', 400, false, 'Required parameter missing'],
  [2002, 'INVALID_PARAMETER', 400, false, 'Parameter is invalid'],
  [2003, 'INVALID_STATE', 409, false, 'Operation not allowed in current state'],
  [2004, 'CONFLICT', 409, false, 'Resource conflict'],
  [2005, 'UNSUPPORTED_OPERATION', 400, false, 'Operation not supported'],
  [2006, 'PAYLOAD_TOO_LARGE', 413, false, 'Payload too large'],
  [2007, 'UNSUPPORTED_MEDIA_TYPE', 415, false, 'Unsupported media type'],
  [2008, 'MALFORMED_JSON', 400, false, 'Malformed JSON body'],
  [2009, 'DUPLICATE_REQUEST', 409, true, 'Duplicate request detected'],
  [2010, 'METHOD_NOT_ALLOWED', 405, false, 'Method not allowed'],
  [2011, 'NOT_ACCEPTABLE', 406, false, 'Not acceptable'],
  [2012, 'UNPROCESSABLE_ENTITY', 422, false, 'Unprocessable entity'],
  [2200, 'UNAUTHORIZED', 401, false, 'Missing or invalid credentials'],
  [2201, 'FORBIDDEN', 403, false, 'Insufficient permissions'],
  [2202, 'TOKEN_EXPIRED', 401, true, 'Token expired'],
  [2203, 'TOKEN_INVALID', 401, false, 'Token invalid'],
  [2204, 'API_KEY_INVALID', 401, false, 'API key invalid'],
  [2205, 'INSUFFICIENT_SCOPE', 403, false, 'Scope does not allow this operation'],
  [2400, 'RATE_LIMITED', 429, true, 'Rate limit exceeded'],
  [2401, 'QUOTA_EXCEEDED', 429, true, 'Quota exceeded'],
  [2402, 'CONCURRENCY_LIMIT', 429, true, 'Too many concurrent operations'],
  [2600, 'NOT_FOUND', 404, false, 'Resource not found'],
  [2601, 'MESSAGE_NOT_FOUND', 404, false, 'Message not found'],
  [2602, 'USER_NOT_FOUND', 404, false, 'User/contact not found'],
  [2603, 'CHAT_NOT_FOUND', 404, false, 'Chat not found'],
  [2604, 'GROUP_NOT_FOUND', 404, false, 'Group not found'],
  [2605, 'MEDIA_NOT_FOUND', 404, false, 'Media not found'],
  [2800, 'DOWNSTREAM_ERROR', 502, true, 'Upstream provider error'],
  [2801, 'DOWNSTREAM_TIMEOUT', 504, true, 'Upstream provider timeout'],
  [2802, 'DNS_ERROR', 502, true, 'DNS resolution error'],
  [2803, 'NETWORK_ERROR', 503, true, 'Network error'],
  [3000, 'SEND_QUEUED', 202, false, 'Message queued to send'],
  [3001, 'SEND_THROTTLED', 429, true, 'Send delayed due to throttling'],
  [3002, 'SEND_FAILED', 502, true, 'Failed to send message'],
  [3003, 'MEDIA_UPLOAD_FAILED', 502, true, 'Failed to upload media'],
  [3004, 'UNSUPPORTED_MESSAGE_TYPE', 400, false, 'Unsupported message type'],
  [3005, 'RECIPIENT_NOT_ALLOWED', 403, false, 'Recipient not allowed'],
  [3006, 'RECIPIENT_BLOCKED', 403, false, 'Recipient is blocked or has blocked you'],
  [3007, 'RECIPIENT_INVALID', 400, false, 'Invalid recipient format'],
  [3008, 'TEMPLATE_NOT_FOUND', 404, false, 'Message template not found'],
  [3009, 'TEMPLATE_REJECTED', 422, false, 'Template rejected by provider'],
  [3010, 'BUTTONS_LIMIT_EXCEEDED', 400, false, 'Buttons count exceeds limit'],
  [3011, 'LIST_FORMAT_INVALID', 400, false, 'List message format invalid'],
  [3012, 'POLL_INVALID', 400, false, 'Poll payload invalid'],
  [3013, 'STICKER_CONVERT_FAILED', 502, true, 'Sticker conversion failed'],
  [3014, 'CAPTION_TOO_LONG', 400, false, 'Caption exceeds limit'],
  [3015, 'MESSAGE_TOO_LONG', 400, false, 'Message exceeds length limit'],
  [4000, 'MESSAGE_DELETE_FAILED', 502, true, 'Failed to delete message'],
  [4001, 'MESSAGE_EDIT_NOT_ALLOWED', 403, false, 'Editing this message is not allowed'],
  [4002, 'MESSAGE_FORWARD_FAILED', 502, true, 'Failed to forward message'],
  [4003, 'MESSAGE_PIN_NOT_ALLOWED', 403, false, 'Pin/unpin not allowed'],
  [4004, 'MESSAGE_ALREADY_DELETED', 409, false, 'Message already deleted'],
  [4005, 'REACTION_FAILED', 502, true, 'Failed to react to message'],
  [4500, 'CHAT_ARCHIVE_FAILED', 502, true, 'Failed to archive chat'],
  [4501, 'CHAT_UNARCHIVE_FAILED', 502, true, 'Failed to unarchive chat'],
  [4502, 'CHAT_MUTE_FAILED', 502, true, 'Failed to mute chat'],
  [4503, 'CHAT_MARK_READ_FAILED', 502, true, 'Failed to mark as read'],
  [4504, 'CHAT_MARK_UNREAD_FAILED', 502, true, 'Failed to mark as unread'],
  [5000, 'GROUP_CREATE_FAILED', 502, true, 'Failed to create group'],
  [5001, 'GROUP_UPDATE_FAILED', 502, true, 'Failed to update group settings'],
  [5002, 'GROUP_ADD_PARTICIPANT_FAILED', 502, true, 'Failed to add participant'],
  [5003, 'GROUP_REMOVE_PARTICIPANT_FAILED', 502, true, 'Failed to remove participant'],
  [5004, 'GROUP_PROMOTE_FAILED', 502, true, 'Failed to promote participant'],
  [5005, 'GROUP_DEMOTE_FAILED', 502, true, 'Failed to demote participant'],
  [5006, 'GROUP_INVITE_FAILED', 502, true, 'Failed to create invite'],
  [5007, 'GROUP_LEAVE_FAILED', 502, true, 'Failed to leave group'],
  [5008, 'GROUP_NOT_ADMIN', 403, false, 'Operation requires admin privileges'],
  [5009, 'GROUP_SUBJECT_TOO_LONG', 400, false, 'Group subject too long'],
  [5010, 'GROUP_DESCRIPTION_TOO_LONG', 400, false, 'Group description too long'],
  [5500, 'MEDIA_DOWNLOAD_FAILED', 502, true, 'Failed to download media'],
  [5501, 'MEDIA_PROCESSING', 202, true, 'Media processing in progress'],
  [5502, 'MEDIA_UNSUPPORTED_FORMAT', 415, false, 'Media format not supported'],
  [5503, 'MEDIA_TOO_LARGE', 413, false, 'Media size exceeds limit'],
  [5504, 'MEDIA_NOT_AVAILABLE', 410, false, 'Media no longer available'],
  [6000, 'ME_INFO_UNAVAILABLE', 503, true, 'Current user info unavailable'],
  [6001, 'CONTACT_NOT_FOUND', 404, false, 'Contact not found'],
  [6002, 'CONTACT_BLOCK_FAILED', 502, true, 'Failed to block contact'],
  [6003, 'CONTACT_UNBLOCK_FAILED', 502, true, 'Failed to unblock contact'],
  [6004, 'PRESENCE_UNAVAILABLE', 503, true, 'Presence not available'],
  [7000, 'JOB_SCHEDULED', 202, false, 'Job scheduled'],
  [7001, 'JOB_RUNNING', 200, false, 'Job currently running'],
  [7002, 'JOB_COMPLETED', 200, false, 'Job completed'],
  [7003, 'JOB_FAILED', 500, true, 'Job failed'],
  [7004, 'JOB_CANCELLED', 200, false, 'Job cancelled'],
  [7005, 'JOB_NOT_FOUND', 404, false, 'Job not found'],
  [8000, 'INTERNAL_ERROR', 500, true, 'Unexpected server error'],
  [8001, 'SERVICE_UNAVAILABLE', 503, true, 'Service temporarily unavailable'],
  [8002, 'TIMEOUT', 504, true, 'Operation timed out'],
  [8003, 'DATABASE_ERROR', 500, true, 'Database error'],
  [8004, 'CACHE_ERROR', 500, true, 'Cache error'],
  [8005, 'NOT_IMPLEMENTED', 501, false, 'Not implemented'],
  [8006, 'FEATURE_FLAG_DISABLED', 403, false, 'Feature is disabled'],
] as const satisfies readonly CodeRow[];

/** Waygate additions, in numbers WARest leaves free inside the matching category. */
const WAYGATE_ROWS = [
  [5011, 'INVITE_REVOKE_TOO_SOON', 429, true, 'Invite link was revoked too recently'],
  [5012, 'GROUP_NOT_MEMBER', 404, false, 'Not a member of this group'],
] as const satisfies readonly CodeRow[];

const CATEGORY_STARTS = [
  [1000, 'success'], [1100, 'session'], [1200, 'webhook'], [1400, 'socket'], [1600, 'sse'],
  [2000, 'validation'], [2200, 'auth'], [2400, 'throttle'], [2600, 'lookup'], [2800, 'network'],
  [3000, 'send'], [4000, 'manage'], [4500, 'chat'], [5000, 'group'], [5500, 'media'], [6000, 'user'],
  [7000, 'jobs'], [8000, 'server'],
] as const;

export type AppCodeName = (typeof WAREST_ROWS)[number][1] | (typeof WAYGATE_ROWS)[number][1];
export type AppCodeCategory = (typeof CATEGORY_STARTS)[number][1];

export interface AppCode {
  code: number;
  name: AppCodeName;
  status: number;
  retryable: boolean;
  /** The table's text. Envelopes never use it as a default (WARest quirk 8); it documents the code. */
  message: string;
  category: AppCodeCategory;
  origin: 'warest' | 'waygate';
}

function categoryOf(code: number): AppCodeCategory {
  let found: AppCodeCategory = CATEGORY_STARTS[0][1];
  for (const [start, name] of CATEGORY_STARTS) if (code >= start) found = name;
  return found;
}

function toAppCode(row: CodeRow, origin: AppCode['origin']): AppCode {
  const [code, name, status, retryable, message] = row;
  return { code, name: name as AppCodeName, status, retryable, message, category: categoryOf(code), origin };
}

export const APP_CODES: readonly AppCode[] = [
  ...WAREST_ROWS.map((row) => toAppCode(row, 'warest')),
  ...WAYGATE_ROWS.map((row) => toAppCode(row, 'waygate')),
].sort((a, b) => a.code - b.code);

const BY_NAME = new Map<AppCodeName, AppCode>(APP_CODES.map((entry) => [entry.name, entry]));

export function appCode(name: AppCodeName): AppCode {
  const entry = BY_NAME.get(name);
  if (!entry) throw new Error(`unknown app code ${name}`);
  return entry;
}

export interface GatewayErrorOptions {
  /** Rendered as the envelope's `results` (an object is wrapped in an array). */
  details?: unknown;
  /** Sent as a Retry-After header. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The one error type of the gateway: an app code plus a message telling the caller what to fix. */
export class GatewayError extends Error {
  readonly code: AppCodeName;
  readonly appCode: number;
  readonly status: number;
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(code: AppCodeName, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = appCode(code);
    this.name = 'GatewayError';
    this.code = code;
    this.appCode = entry.code;
    this.status = entry.status;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Throw a GatewayError by code name: `fail('MISSING_PARAMETER', 'groupId is required')`. */
export function fail(code: AppCodeName, message: string, options?: GatewayErrorOptions): never {
  throw new GatewayError(code, message, options);
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
